using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Silo processes (<c>dotnet TaskFlow.Orleans.TestSilo.dll</c>, the shipped silo plus the stress flow) clustered through PostgreSQL, as users run them, and the
/// <c>taskflow</c> command-line tool as their client. Each silo listens on an address of its own (127.0.0.2 to .4), and every
/// connection (silo to silo, client to gateway) is TLS with mutual authentication (<see cref="TestCertificates"/>). Each cluster has its own ClusterId/ServiceId (so tests share no rows),
/// free ports and an execution journal directory per silo. Every process is killed when the cluster is disposed, and
/// their captured output goes to the test output.
/// </summary>
public sealed class SiloCluster : IDisposable
{
    /// <summary>How long silos may take to start and join (about 7 s on 2 cores when idle).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, string> _extraEnvironment;
    private readonly List<ManagedProcess> _all = [];
    private readonly string _root;
    private int _started;
    private int _deployments;

    public SiloCluster(ITestOutputHelper output, string connectionString, string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        _output = output;
        ConnectionString = connectionString;
        Id = $"e2e-{name}-{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 13)];
        ClusterId = Id;
        _extraEnvironment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        _root = Directory.CreateTempSubdirectory($"taskflow-{name}-").FullName;
        JournalRoot = Path.Combine(_root, "journal");
        Directory.CreateDirectory(JournalRoot);
    }

    public string ConnectionString { get; }

    /// <summary>The ServiceId of this cluster (and its first ClusterId): stored flows and reminders are keyed by it.</summary>
    public string Id { get; }

    /// <summary>The ClusterId of the silos started next; see <see cref="NewDeployment"/>.</summary>
    public string ClusterId { get; private set; }

    /// <summary>
    /// Gives the silos started next a new ClusterId with the same ServiceId, as Orleans intends for a new deployment: a
    /// cluster restarted after every silo died then need not wait for the dead silos, still listed active in the membership
    /// table under the old ClusterId, to be voted dead before it can join. Flows and reminders are keyed by ServiceId, so the
    /// new deployment owns every unfinished run.
    /// </summary>
    public void NewDeployment() => ClusterId = $"{Id}-r{++_deployments}";

    /// <summary>Every silo's journal directory is below this one.</summary>
    public string JournalRoot { get; }

    /// <summary>The silos now running (in start order).</summary>
    public List<SiloProcess> Silos { get; } = [];

    /// <summary>Starts <paramref name="count"/> silos at once and waits until every one is up.</summary>
    public async Task StartSilosAsync(int count)
    {
        var started = new List<SiloProcess>();
        for (var i = 0; i < count; i++)
        {
            var number = ++_started;
            // Each silo on an address of its own (127.0.0.2, .3, .4: loopback addresses, no other network), as on separate
            // machines: it listens there only and advertises that address in the membership table.
            var address = SiloAddress(number);
            int siloPort = FreePort(address), gatewayPort = FreePort(address);
            var journal = Path.Combine(JournalRoot, $"silo-{number}");
            Directory.CreateDirectory(journal);
            var environment = new Dictionary<string, string>(TestCertificates.Instance.SiloEnvironment())
            {
                ["Silo__Storage"] = "PostgreSql",
                ["Silo__Clustering"] = "PostgreSql",
                ["Silo__PostgreSql"] = SiloConnectionString($"silo-{number}"),
                ["Silo__ListenAddress"] = address.ToString(),
                ["Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Silo__ClusterId"] = ClusterId,
                ["Silo__ServiceId"] = Id,
                // Each silo serves its dashboard on a port of its own (several silos share this machine).
                ["Dashboard__Urls"] = "http://127.0.0.1:0",
                ["TASKFLOW_JOURNAL_DIR"] = journal,
            };
            foreach (var (key, value) in _extraEnvironment)
            {
                environment[key] = value;
            }

            var process = new ManagedProcess($"silo-{number}", TestEnvironment.SiloDll, [], environment);
            _all.Add(process);
            started.Add(new SiloProcess(process, address, siloPort, gatewayPort));
        }

        await Task.WhenAll(started.Select(s => s.Process.WaitForOutputAsync("Application started", StartTimeout, "the silo started")));
        Silos.AddRange(started);
    }

    /// <summary>
    /// The connection string a silo of this cluster uses: <see cref="ConnectionString"/> with an <c>Application Name</c> that
    /// names the cluster and the silo, so the test can tell that silo's database sessions in <c>pg_stat_activity</c>.
    /// </summary>
    private string SiloConnectionString(string silo) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = $"{ApplicationNamePrefix}{silo}" }.ConnectionString;

    /// <summary>What every silo session's application name starts with (PostgreSQL keeps 63 bytes of it).</summary>
    private string ApplicationNamePrefix => $"{Id}/";

    /// <summary>
    /// Waits until PostgreSQL has no session left of a silo of this cluster: only then is every write those silos had sent
    /// finished in the server. A process killed with <c>kill -9</c> cannot take back a statement it had already sent: the
    /// server runs it to its end (and commits it) after the client is gone, and only then notices the closed connection and
    /// ends the session. So a logbook read right after the kill may miss a write that commits a moment later; a read after
    /// this wait sees everything the killed silos will ever have written.
    /// </summary>
    /// <returns>How long the wait took.</returns>
    public async Task<TimeSpan> WaitForSilosSessionsToEndAsync(TimeSpan timeout)
    {
        var started = DateTimeOffset.UtcNow;
        var deadline = started + timeout;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT application_name, pid, state, now() - query_start, left(query, 80) FROM pg_stat_activity " +
                "WHERE starts_with(application_name, @prefix) AND pid <> pg_backend_pid()", connection);
            command.Parameters.AddWithValue("prefix", ApplicationNamePrefix);
            var sessions = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    sessions.Add($"{reader.GetString(0)} (pid {reader.GetInt32(1)}, {(reader.IsDBNull(2) ? "?" : reader.GetString(2))}" +
                                 $"{(reader.IsDBNull(3) ? "" : $" for {reader.GetFieldValue<TimeSpan>(3).TotalMilliseconds:0} ms")}: " +
                                 $"{(reader.IsDBNull(4) ? "" : reader.GetString(4).ReplaceLineEndings(" "))})");
                }
            }

            if (sessions.Count == 0)
            {
                return DateTimeOffset.UtcNow - started;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"{sessions.Count} PostgreSQL sessions of this cluster's silos were still open {timeout.TotalSeconds:0} s after " +
                            $"the silos were gone: {string.Join("; ", sessions.Take(10))}");
            }

            await Task.Delay(20); // polls pg_stat_activity until the deadline
        }
    }

    /// <summary>The silo endpoints (<c>address:port</c>) the membership table lists as active for this cluster, sorted.</summary>
    public async Task<List<string>> ActiveMembersAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // Status 3 is Orleans' SiloStatus.Active.
        await using var command = new NpgsqlCommand(
            "SELECT address || ':' || port FROM taskflow_membership WHERE cluster_id = @cluster AND status = 3 ORDER BY 1", connection);
        command.Parameters.AddWithValue("cluster", ClusterId);
        var members = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add(reader.GetString(0));
        }

        return members;
    }

    /// <summary><c>kill -9</c> one silo.</summary>
    public void Kill(SiloProcess silo)
    {
        silo.Process.Kill();
        Silos.Remove(silo);
        _output.WriteLine($"{DateTimeOffset.UtcNow:O} killed {silo.Process.Name} (pid {silo.Process.Id}, {silo.Address}:{silo.SiloPort})");
    }

    /// <summary><c>kill -9</c> every silo at once (so no survivor acts between the kills); returns once all are gone.</summary>
    public void KillAll()
    {
        var silos = Silos.ToList();
        Parallel.ForEach(silos, silo => silo.Process.Kill());
        Silos.Clear();
        _output.WriteLine($"{DateTimeOffset.UtcNow:O} killed {string.Join(", ", silos.Select(s => $"{s.Process.Name} (pid {s.Process.Id})"))}");
    }

    /// <summary>Starts the command-line tool against this cluster (found through PostgreSQL), with the client certificate.</summary>
    public ManagedProcess StartCli(params string[] arguments) => StartCliWithTls(TestCertificates.Instance.ClientArguments(), arguments);

    /// <summary>Starts the command-line tool against this cluster with the given TLS options (none: no TLS).</summary>
    public ManagedProcess StartCliWithTls(string[] tls, params string[] arguments) => StartCliAs(ConnectionString, tls, arguments);

    /// <summary>Starts the command-line tool against this cluster, finding its gateways with <paramref name="connectionString"/>'s
    /// login, with the given TLS options.</summary>
    public ManagedProcess StartCliAs(string connectionString, string[] tls, params string[] arguments)
    {
        var all = arguments.Concat(["--postgres", connectionString, "--cluster-id", ClusterId, "--service-id", Id]).Concat(tls);
        var process = new ManagedProcess($"taskflow {arguments[0]} #{_all.Count}", TestEnvironment.CliDll, all, new Dictionary<string, string>());
        _all.Add(process);
        return process;
    }

    /// <summary>The stress command's arguments for <paramref name="count"/> stress-chain runs whose <c>start</c> is their index.</summary>
    public static string[] StressArguments(string prefix, int count, int slowMs, params string[] more) =>
    [
        "stress", "stress-chain", "--count", count.ToString(CultureInfo.InvariantCulture), "--prefix", prefix, "--index-input", "start",
        "--input", $"slow-ms={slowMs}", "--timeout", "150", .. more,
    ];

    /// <summary>Reads the stress command's summary line; fails with its output when there is none.</summary>
    public static StressSummary ReadSummary(ManagedProcess cli)
    {
        var line = cli.StandardOutput.FirstOrDefault(l => l.StartsWith("summary ", StringComparison.Ordinal));
        Assert.True(line is not null, $"The stress command printed no summary.{Environment.NewLine}{cli.Output(60)}");
        return JsonSerializer.Deserialize<StressSummary>(line!["summary ".Length..], new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    /// <summary>Every execution every silo of this cluster journaled so far.</summary>
    public Journal ReadJournal() => Journal.Read(JournalRoot);

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

    /// <summary>The address of the <paramref name="number"/>th silo started: 127.0.0.2, 127.0.0.3, 127.0.0.4, then again.</summary>
    public static IPAddress SiloAddress(int number) => IPAddress.Parse($"127.0.0.{2 + ((number - 1) % 3)}");

    internal static int FreePort() => FreePort(IPAddress.Loopback);

    internal static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One silo process, the address it listens on and advertises, and its ports.</summary>
public sealed record SiloProcess(ManagedProcess Process, IPAddress Address, int SiloPort, int GatewayPort);

/// <summary>The stress command's summary (client/TaskFlow.Orleans.Cli/StressRun.cs).</summary>
public sealed record StressSummary(int Count, int Succeeded, List<StressFlowOutcome> Flows);

/// <summary>One run in the summary.</summary>
public sealed record StressFlowOutcome(string Id, string State, Dictionary<string, JsonElement>? Results, string? Error);
