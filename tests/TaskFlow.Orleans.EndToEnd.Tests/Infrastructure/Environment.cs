using System.Diagnostics;
using System.Reflection;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>What the end-to-end tests need from the machine: PostgreSQL, and the built silo and CLI.</summary>
/// <remarks>
/// Without <c>TASKFLOW_POSTGRES</c> the tests skip with a message; with <c>CI=true</c> they fail instead, so CI never passes
/// them silently. The PostgreSQL restart test also needs <c>TASKFLOW_PGDATA</c> and <c>TASKFLOW_PGBIN</c> (exported by
/// <c>.ci/run</c>) and root, to stop and start the server with <c>runuser -u postgres -- pg_ctl</c>.
/// </remarks>
public static class TestEnvironment
{
    public const string PostgresVariable = "TASKFLOW_POSTGRES";
    public const string PgDataVariable = "TASKFLOW_PGDATA";
    public const string PgBinVariable = "TASKFLOW_PGBIN";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL connection string; skips the test without one, or fails it under CI.</summary>
    public static string RequirePostgres() => Require(PostgresVariable,
        "set it to an Npgsql connection string, e.g. \"Host=127.0.0.1;Port=5433;Database=taskflow;Username=taskflow;Password=taskflow\" (.ci/run starts one)");

    /// <summary>The server's data directory and binaries, to stop and start it.</summary>
    public static (string PgData, string PgBin) RequirePgCtl() => (
        Require(PgDataVariable, "set it to the server's data directory (.ci/run exports it)"),
        Require(PgBinVariable, "set it to the directory of pg_ctl, e.g. /usr/lib/postgresql/15/bin (.ci/run exports it)"));

    private static string Require(string variable, string how)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }

        var message = $"End-to-end tests need {variable}: {how}.";
        if (IsCi)
        {
            Assert.Fail($"CI=true but {variable} is not set. {message}");
        }

        Skip.If(true, message);
        return null!;
    }

    /// <summary>The repository root: the directory holding TaskFlow.Orleans.sln above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration of this test assembly (Debug or Release); the silo and CLI were built with it.</summary>
    public static string Configuration { get; } =
        typeof(TestEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The test host: the shipped silo plus the journaled stress flow (tests/TaskFlow.Orleans.TestSilo).</summary>
    public static string SiloDll => Built("tests/TaskFlow.Orleans.TestSilo", "TaskFlow.Orleans.TestSilo.dll");

    public static string CliDll => Built("client/TaskFlow.Orleans.Cli", "taskflow.dll");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", dll);
        Assert.True(File.Exists(path), $"{path} is missing: build the solution (dotnet build TaskFlow.Orleans.sln -c {Configuration}).");
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskFlow.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"TaskFlow.Orleans.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Stops and starts the PostgreSQL server as its owner, like an operator would.</summary>
    public static async Task PgCtlAsync(string pgBin, string pgData, string action)
    {
        var arguments = action == "start"
            ? $"-u postgres -- {pgBin}/pg_ctl -D {pgData} -l {pgData}/log -w -t 60 start"
            : $"-u postgres -- {pgBin}/pg_ctl -D {pgData} -m fast -w -t 60 stop";
        using var process = Process.Start(new ProcessStartInfo("runuser", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"pg_ctl {action} did not finish within 90 s.");
        }

        Assert.True(process.ExitCode == 0, $"runuser {arguments} exited with {process.ExitCode}: {await output} {await error}");
    }
}
