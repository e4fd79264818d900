using System.Globalization;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The embedded default as users run it: one silo process (<c>dotnet TaskFlow.Orleans.TestSilo.dll</c>, the shipped silo plus the stress flow) with
/// <c>Silo__Storage=Sqlite</c> on a database file and localhost clustering (reminders in memory), and the <c>taskflow</c>
/// command-line tool as its client through the gateway port. Every silo started is a new process on the same file, ports,
/// ClusterId and ServiceId, as an operator restarts one; each journals into its own directory (<c>silo-1</c>,
/// <c>silo-2</c>, ...). Every process is killed when disposed, and their output goes to the test output.
/// </summary>
public sealed class SingleSilo : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<ManagedProcess> _all = [];
    private readonly string _root;
    private int _started;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;

    public SingleSilo(ITestOutputHelper output, string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        _output = output;
        _extraEnvironment = environment ?? new Dictionary<string, string>();
        Id = $"e2e-{name}-{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 13)];
        _root = Directory.CreateTempSubdirectory($"taskflow-{name}-").FullName;
        DatabasePath = Path.Combine(_root, "taskflow.db");
        JournalRoot = Path.Combine(_root, "journal");
        Directory.CreateDirectory(JournalRoot);
        SiloPort = SiloCluster.FreePort();
        GatewayPort = SiloCluster.FreePort();
    }

    /// <summary>The ClusterId and ServiceId.</summary>
    public string Id { get; }

    /// <summary>The SQLite database file every silo of this test uses.</summary>
    public string DatabasePath { get; }

    public string JournalRoot { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The silo now running, if any.</summary>
    public ManagedProcess? Silo { get; private set; }

    /// <summary>Starts a silo process and waits until it is up.</summary>
    public async Task StartAsync()
    {
        Assert.True(Silo is null, "A silo is already running.");
        var name = $"silo-{++_started}";
        var journal = Path.Combine(JournalRoot, name);
        Directory.CreateDirectory(journal);
        var environment = new Dictionary<string, string>
        {
            ["Silo__Storage"] = "Sqlite",
            ["Silo__SqlitePath"] = DatabasePath,
            ["Silo__Clustering"] = "Localhost",
            ["Silo__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Silo__ClusterId"] = Id,
            ["Silo__ServiceId"] = Id,
            // Each silo serves its dashboard on a port of its own (several silos share this machine).
            ["Dashboard__Urls"] = "http://127.0.0.1:0",
            ["TASKFLOW_JOURNAL_DIR"] = journal,
        };
        foreach (var (key, value) in _extraEnvironment)
        {
            environment[key] = value;
        }

        var process = new ManagedProcess(name, TestEnvironment.SiloDll, [], environment);
        _all.Add(process);
        Silo = process;
        await process.WaitForOutputAsync("Application started", SiloCluster.StartTimeout, "the silo started");
        _output.WriteLine($"{DateTimeOffset.UtcNow:O} started {name} (pid {process.Id}) on {DatabasePath}, silo port {SiloPort}, gateway {GatewayPort}");
    }

    /// <summary><c>kill -9</c> the silo; returns once the process is gone.</summary>
    public void Kill()
    {
        Assert.True(Silo is not null, "No silo is running.");
        Silo!.Kill();
        _output.WriteLine($"{DateTimeOffset.UtcNow:O} killed {Silo.Name} (pid {Silo.Id})");
        Silo = null;
    }

    /// <summary>Starts the command-line tool against the silo's gateway port.</summary>
    public ManagedProcess StartCli(params string[] arguments)
    {
        var all = arguments.Concat(["--gateway", GatewayPort.ToString(CultureInfo.InvariantCulture), "--cluster-id", Id, "--service-id", Id]);
        // Empty: the tool must not look for a PostgreSQL cluster even if the machine's environment names one.
        var environment = new Dictionary<string, string> { ["TASKFLOW_POSTGRES_CLUSTER"] = "" };
        var process = new ManagedProcess($"taskflow {arguments[0]} #{_all.Count}", TestEnvironment.CliDll, all, environment);
        _all.Add(process);
        return process;
    }

    /// <summary>Every line every silo process printed so far.</summary>
    public IEnumerable<string> AllLines() => _all.Where(p => p.Name.StartsWith("silo-", StringComparison.Ordinal)).SelectMany(p => p.Lines);

    /// <summary>Every execution every silo process journaled so far.</summary>
    public Journal ReadJournal() => Journal.Read(JournalRoot);

    /// <summary>The logbook file's atoms; only while no silo runs.</summary>
    public Logbook ReadLogbook()
    {
        Assert.True(Silo is null, "Read the SQLite logbook only while no silo has it open.");
        return Logbook.ReadSqlite(DatabasePath, Id);
    }

    /// <summary>Every output line of this test's processes that names one of <paramref name="runs"/>.</summary>
    public string OutputAbout(IReadOnlyCollection<string> runs) => ManagedProcess.LinesAbout(_all, runs);

    public void Dispose()
    {
        foreach (var process in _all)
        {
            process.Kill();
        }

        foreach (var process in _all)
        {
            try
            {
                _output.WriteLine(process.Output(40));
                process.SaveOutput(Id);
            }
            catch (InvalidOperationException)
            {
                // No test is running any more to write to.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
