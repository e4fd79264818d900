using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// Every input of issue 12's list, given to the <c>taskflow</c> process as users give it: each ends with its one line on
/// standard error and its documented exit code (0 done, 1 the run did not succeed, 2 bad usage or input, 3 no cluster, 4 not
/// found, 5 the cluster could not do it), never with a stack trace; markup in ids, inputs and failures is printed as it is.
/// One SQLite silo process serves the whole class. Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed class CliInputTests(SharedSilo shared, ITestOutputHelper output) : IClassFixture<SharedSilo>
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    private SingleSilo Silo => shared.Silo;

    public static TheoryData<string[], string> BadUsage => new()
    {
        { ["status", ""], "error: Flow id is empty; give a non-empty id" },
        { ["run", "boot-server", "--flow-id", ""], "error: Flow id is empty; give a non-empty id" },
        { ["run", ""], "error: The factory name is empty; give the name of a registered flow (taskflow flows lists them)" },
        { ["status", "web-01", "--gateway", "70000"], "error: --gateway 70000 is out of range: give 1 to 65535" },
        { ["status", "web-01", "--gateway", "0"], "error: --gateway 0 is out of range: give 1 to 65535" },
        { ["status", "web-01", "--host", "127.0.0.1:70000"], "error: --host '127.0.0.1:70000': the port '70000' is not a port number from 1 to 65535." },
        { ["status", "web-01", "--host", "not a host"], "error: --host 'not a host' is not a host" },
        { ["run", "boot-server", "--input", "network"], "error: Input 'network' is not of the form name=value" },
        { ["status", "web-01", "--bogus"], "error: Unrecognized command or argument '--bogus'." },
        { ["status", "web-01", "--no-in-process"], "error: Unrecognized command or argument '--no-in-process'." },
        { ["list", "--page-size", "0"], "error: --page-size is 0; it must be from 1 to 1000." },
        { ["status", "web-01", "--connect-timeout", "-1"], "error: --connect-timeout -1 is out of range" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task BadUsage_ExitsWith2AndOneLineBeforeConnecting(string[] arguments, string line)
    {
        // Nothing listens at this port: a command that got past its checks would exit 3, not 2.
        var cli = StartCli([.. arguments, .. arguments.Contains("--gateway") || arguments.Contains("--host") ? Array.Empty<string>() : ["--gateway", "1"]]);

        Assert.Equal(2, await cli.WaitForExitAsync(CliTimeout, $"refusing {string.Join(' ', arguments)}"));
        AssertErrorLine(cli, line);
    }

    [Fact]
    public async Task NoSiloAtTheGateway_ExitsWith3NamingIt()
    {
        var port = SiloCluster.FreePort();

        var cli = StartCli("status", "web-01", "--gateway", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(3, await cli.WaitForExitAsync(CliTimeout, "finding no silo"));
        AssertErrorLine(cli, $"error: No silo is listening at 127.0.0.1:{port}.");
    }

    [Fact]
    public async Task Help_ListsTheExitCodes()
    {
        var cli = StartCli("--help");

        Assert.Equal(0, await cli.WaitForExitAsync(CliTimeout, "printing the help"));
        Assert.Contains("Exit codes: 0 done", cli.Text(), StringComparison.Ordinal);
        Assert.Contains("3 the cluster cannot be reached; 4 no such run or flow factory", cli.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_InIdInputAndFailure_IsPrintedLiterally_AndAFailedRunExitsWith1()
    {
        var id = $"web-[blue]-{Guid.NewGuid():N}"[..20];

        var run = Silo.StartCli("run", "boot-server", "--flow-id", id, "--input", "network=[red]tenant", "--input", "golden-image=[bold]windows-95");

        Assert.True(await run.WaitForExitAsync(CliTimeout, "running boot-server into a failure") == 1, run.Output(60));
        var text = run.Text();
        Assert.Contains($"Started boot-server as {id}", text, StringComparison.Ordinal);
        Assert.Contains($"Flow boot-server ({id}) ended REVERTED.", text, StringComparison.Ordinal);
        Assert.Contains("Image '[bold]windows-95' does not exist", text, StringComparison.Ordinal);
        run.AssertNoStackTraceLines();

        var status = Silo.StartCli("status", id);
        Assert.True(await status.WaitForExitAsync(CliTimeout, "showing the run") == 0, status.Output(60));
        Assert.Contains($"({id}) ended REVERTED", status.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFlowFactory_ExitsWith4ListingTheRegisteredOnes()
    {
        var cli = Silo.StartCli("run", "no-such-flow", "--input", "network=[blue]");

        Assert.Equal(4, await cli.WaitForExitAsync(CliTimeout, "refusing an unknown flow"));
        AssertErrorLine(cli, "error: No flow factory named 'no-such-flow' is registered on this silo. Registered flows: boot-server, stress-chain.");
    }

    [Fact]
    public async Task UnknownRun_ExitsWith4()
    {
        var cli = Silo.StartCli("status", "no-[blue]-run");

        Assert.Equal(4, await cli.WaitForExitAsync(CliTimeout, "looking for an unknown run"));
        AssertErrorLine(cli, "error: No flow with id 'no-[blue]-run' exists.");
    }

    [Fact]
    public async Task MissingInput_ExitsWith2NamingIt()
    {
        var cli = Silo.StartCli("run", "boot-server", "--input", "network=tenant-a");

        Assert.Equal(2, await cli.WaitForExitAsync(CliTimeout, "refusing a flow without its inputs"));
        AssertErrorLine(cli, "error: Flow 'boot-server' is invalid (1 problem):");
        Assert.Contains("requires 'golden-image'", cli.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flows_ListsTheFactoriesWithTheirInputs_OnStandardOutputOnly()
    {
        var dead = SiloCluster.FreePort();

        // Two gateways, one of them dead: the client uses the live one.
        var cli = Silo.StartCli("flows", "--host", $"127.0.0.1:{dead},127.0.0.1:{Silo.GatewayPort}");

        Assert.True(await cli.WaitForExitAsync(CliTimeout, "listing the flows") == 0, cli.Output(60));
        var standardOutput = cli.StandardOutput.ToList();
        Assert.Contains(standardOutput, line => line.Contains("boot-server", StringComparison.Ordinal) && line.Contains("golden-image, network", StringComparison.Ordinal));
        Assert.Contains(standardOutput, line => line.Contains("stress-chain", StringComparison.Ordinal) && line.Contains("start", StringComparison.Ordinal));
        Assert.Contains("2 flow(s).", string.Join(" ", standardOutput), StringComparison.Ordinal);
        // What the tool and Orleans say about the connection is on standard error, not mixed into the table.
        Assert.DoesNotContain(standardOutput, line => line.Contains("Connected to", StringComparison.Ordinal) || line.Contains("Orleans", StringComparison.Ordinal)
            || line.StartsWith("info:", StringComparison.Ordinal) || line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADamagedStoredRun_ExitsWith5NamingIt()
    {
        var id = "damaged-" + Guid.NewGuid().ToString("N")[..8];
        var run = Silo.StartCli("run", "boot-server", "--flow-id", id, "--input", "network=tenant-a", "--input", "golden-image=ubuntu-24.04");
        Assert.True(await run.WaitForExitAsync(CliTimeout, "running boot-server") == 0, run.Output(60));
        await DamageAsync(id);

        foreach (var command in new[] { "show", "graph", "watch" })
        {
            var cli = Silo.StartCli(command, id);

            Assert.Equal(5, await cli.WaitForExitAsync(CliTimeout, $"{command} of a damaged run"));
            AssertErrorLine(cli, $"error: The logbook of run '{id}' cannot be read (");
            Assert.Contains("It is damaged or was written by an unknown version; nothing was changed.", cli.Text(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CtrlC_WhileRunFollows_ExitsWith130AndTheRunGoesOn()
    {
        var id = "interrupted-" + Guid.NewGuid().ToString("N")[..8];
        var run = Silo.StartCli("run", "stress-chain", "--flow-id", id, "--input", "start=0", "--input", "slow-ms=2000");
        await run.WaitForOutputAsync("step-04        RUNNING", CliTimeout, "step-04 started");

        // A process started in the background by a non-interactive shell (nohup, `cmd &` in a script) inherits SIGINT ignored,
        // and .NET keeps an inherited ignore, so no Ctrl+C can reach the tool there; it handles SIGTERM the same way.
        var signal = SigIntIgnored() ? "-TERM" : "-INT";
        using (var kill = System.Diagnostics.Process.Start("kill", [signal, run.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var interruptedAt = DateTimeOffset.UtcNow;
        var exitCode = await run.WaitForExitAsync(CliTimeout, "stopping on Ctrl+C");
        // Seen once in CI under load: exit code 0 after the run ended, as if the signal never reached the tool; the output and
        // the time of the signal tell which side lost it next time.
        Assert.True(exitCode == 130,
            $"exit code {exitCode}, expected 130; kill {signal} sent at {interruptedAt:HH:mm:ss.fff}, exit at {DateTimeOffset.UtcNow:HH:mm:ss.fff}{Environment.NewLine}{run.Output(60)}");
        Assert.Contains(run.Lines, line => line == "err| Cancelled.");
        run.AssertNoStackTraceLines();
        var watch = Silo.StartCli("watch", id);
        Assert.True(await watch.WaitForExitAsync(CliTimeout, "watching the run to its end") == 0, watch.Output(60));
        Assert.Contains($"({id}) ended SUCCESS", watch.Text(), StringComparison.Ordinal);
    }

    /// <summary>Whether this process (and so the tool it starts) inherited SIGINT ignored (/proc/self/status, SigIgn bit 2).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Overwrites the run's stored header and payload with bytes no version wrote, as a bad disk or a bad restore would.</summary>
    private async Task DamageAsync(string id)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Silo.DatabasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE taskflow_runs SET header = x'0102030405', payload = x'0102030405' WHERE service_id = $service AND run_id = $run";
        command.Parameters.AddWithValue("$service", Silo.Id);
        command.Parameters.AddWithValue("$run", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private ManagedProcess StartCli(params string[] arguments)
    {
        var process = new ManagedProcess($"taskflow {string.Join(' ', arguments)}", TestEnvironment.CliDll, arguments,
            new Dictionary<string, string> { ["TASKFLOW_POSTGRES_CLUSTER"] = "", ["TASKFLOW_HOST"] = "" });
        _started.Add(process);
        return process;
    }

    private readonly List<ManagedProcess> _started = [];

    /// <summary>The last line on standard error starts with <paramref name="line"/>, nothing went to standard output before a
    /// failure that happened before connecting, and no line is a stack frame.</summary>
    private void AssertErrorLine(ManagedProcess cli, string line)
    {
        output.WriteLine(cli.Output(40));
        var errors = cli.Lines.Where(l => l.StartsWith("err| ", StringComparison.Ordinal)).Select(l => l[5..]).ToList();
        Assert.Contains(errors, l => l.StartsWith(line, StringComparison.Ordinal));
        Assert.Single(errors, l => l.StartsWith("error: ", StringComparison.Ordinal));
        cli.AssertNoStackTraceLines();
    }
}
