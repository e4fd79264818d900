using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans;
using TaskFlow.Orleans.Benchmarks;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Diagnostics;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

// A console benchmark (warm-up, then the median of several runs) rather than BenchmarkDotNet: every workload of a
// backend shares one silo, and the baselines run in the same process and the same run so they see the same machine.
var smoke = args.Contains("--smoke");
var runs = smoke ? 1 : ReadInt(args, "--runs", 7);
var warmups = smoke ? 1 : ReadInt(args, "--warmups", 10);
var markdownPath = ReadString(args, "--markdown");
var only = ReadString(args, "--only");
var indexRuns = smoke ? 2_000 : ReadInt(args, "--index-runs", 100_000);
var indexQueries = smoke ? 20 : ReadInt(args, "--queries", 200);
var retentionRuns = smoke ? 2_000 : ReadInt(args, "--retention-runs", 20_000);
var retentionSamples = smoke ? 5 : ReadInt(args, "--retention-samples", 30);
var retentionBatch = ReadInt(args, "--retention-batch", TaskFlow.Orleans.Grains.Options.TaskFlowRetentionOptions.DefaultBatchSize);
// The silo's own retention sweeper stays off: the retention benchmark runs its sweep when it wants it timed.
void NoRetention(ISiloBuilder silo) => silo.Services.Configure<TaskFlow.Orleans.Grains.Options.TaskFlowRetentionOptions>(o => o.FinishedRunsKeptFor = null);
var postgres = Environment.GetEnvironmentVariable("TASKFLOW_POSTGRES");
var inputs = new FlowInputs { ["start"] = 0L };
var rows = new List<Row>();
long storageWrites = 0; // logbook transactions (commits)
long runWrites = 0;     // runs' writes they carried
using var writeListener = ListenToCommits(count => Interlocked.Add(ref storageWrites, count), count => Interlocked.Add(ref runWrites, count));

Console.WriteLine($"TaskFlow.Orleans benchmarks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
                  $"{(smoke ? "smoke run" : $"{warmups} warm-ups, median of {runs} runs")}");

// ---- In-memory storage: the engine's own cost, against the baselines.
Row w1;
{
    await using var silo = await BenchSilo.StartAsync("memory", silo => silo.AddTaskFlowMemoryStorage().UseInMemoryReminderService(), args);
    Func<long, long> addOne = value => value + 1;
    var loop = await MeasureAsync("baseline: plain C# loop, 1000 steps", 1000, () =>
    {
        long value = 0;
        for (var i = 0; i < 1000; i++)
        {
            value = addOne(value);
        }

        return Task.FromResult(value == 1000);
    });
    // The definitions are built once: building one is the client's cost, not the engine's.
    var (chain1k, fanOut, failing, chain10k, single) = (Workloads.LinearChain(1000), Workloads.FanOutJoin(1000), Workloads.FailingChain(50),
        Workloads.LinearChain(10000), Workloads.LinearChain(1));
    Func<Task<bool>> rawBody = async () => await silo.Grains.GetGrain<IChainGrain>(0).RunChainAsync(1000) == 1000;
    Func<Task<bool>> w0Body = () => RunAsync(silo.Client, single, expectSuccess: true);
    Func<Task<bool>> w1Body = () => RunAsync(silo.Client, chain1k, expectSuccess: true);
    Func<Task<bool>> w2Body = () => RunAsync(silo.Client, fanOut, expectSuccess: true);
    Func<Task<bool>> w3Body = () => RunAsync(silo.Client, failing, expectSuccess: false);
    Func<Task<bool>> w1LargeBody = () => RunAsync(silo.Client, chain10k, expectSuccess: true);
    if (!smoke && (Wants("W") || Wants("baseline")))
    {
        // Until the JIT is done: a workload measured while .NET still compiles and re-compiles (tiered compilation waits for
        // 100 ms without new compilations before it optimizes) measured the JIT, 2-3x the steady state of a silo that runs.
        await WarmUntilJitQuietAsync([rawBody, w0Body, w1Body, w2Body, w3Body, w1LargeBody]);
    }

    var raw = await MeasureAsync("baseline: raw Orleans grain-to-grain chain, 1000 calls", 1000, rawBody);
    await MeasureAsync("W0: one task, start to durable outcome", 1, w0Body);
    w1 = await MeasureAsync("W1: linear chain, 1000 tasks", 1000, w1Body, targetMs: 88);
    var w2 = await MeasureAsync("W2: 1000 independent tasks, then a join", 1001, w2Body, targetMs: 20);
    var w3 = await MeasureAsync("W3: 50-task chain, last fails, 50 reverts", 50, w3Body, targetMs: 12);
    var w1Large = await MeasureAsync("W1: linear chain, 10000 tasks", 10000, w1LargeBody);
    var ratio = w1Large.PerTaskMicroseconds / w1.PerTaskMicroseconds;
    rows.Add(new Row("W1 per-task cost at 10,000 / at 1,000", double.NaN, ratio, null) { Note = $"{ratio:F2}× (target ≤ 1.2×)" });
    foreach (var (row, limit) in new[] { (w1, 3.0), (w2, 1.5), (w3, 0.3) })
    {
        if (!double.IsNaN(row.MedianMs) && !double.IsNaN(raw.MedianMs))
        {
            var times = row.MedianMs / raw.MedianMs;
            rows.Add(new Row($"{row.Name[..2]} / raw grain-call chain", double.NaN, double.NaN, null)
            {
                Note = string.Create(CultureInfo.InvariantCulture, $"{times:F2}× (target ≤ {limit}×): {(times <= limit ? "met" : "not met")}"),
            });
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  W1 (1000) is {w1.MedianMs / raw.MedianMs:F2}×, W2 {w2.MedianMs / raw.MedianMs:F2}×, W3 {w3.MedianMs / raw.MedianMs:F2}× the raw grain-call chain; W1 is {w1.MedianMs / loop.MedianMs:F0}× the plain loop; per-task ratio 10k/1k {ratio:F2}"));

    if (Wants("breakdown"))
    {
        await BreakdownBench.RunAsync(silo.Client, silo.Grains, "W1 1000", chain1k, runs, warmups);
        await BreakdownBench.RunAsync(silo.Client, silo.Grains, "W2 1000", fanOut, runs, warmups);
        await BreakdownBench.RunAsync(silo.Client, silo.Grains, "W1 10000", chain10k, runs, Math.Min(warmups, 3));
    }

    if (Wants("many runs"))
    {
        foreach (var count in smoke ? new[] { 100 } : [1_000, 10_000])
        {
            rows.Add(await ConcurrentRunsBench.RunAsync(silo.Client, count, 20));
        }
    }

    if (Wants("big flows"))
    {
        var size = smoke ? 2_000 : 100_000;
        rows.Add(await BigFlowBench.StartAsync(silo.Client, $"memory: a linear chain of {size:N0} tasks", Workloads.LinearChain(size), size));
        rows.Add(await BigFlowBench.StartAsync(silo.Client, $"memory: {size:N0} independent tasks and a join", Workloads.FanOutJoin(size), size + 1));
    }

    if (Wants("compile"))
    {
        // FlowCompiler itself, without the silo's cache: what a definition the silo has not seen costs.
        BigFlowBench.Compile(silo.Services, smoke
            ? [("chain 1000", chain1k), ("fan-out 1000", fanOut)]
            : [("chain 1000", chain1k), ("fan-out 1000", fanOut), ("chain 10000", chain10k),
                ("chain 100000", Workloads.LinearChain(100_000)), ("fan-out 100000", Workloads.FanOutJoin(100_000))]);
    }

    // Live events: the same workloads with a subscriber per run (FlowHandle.WatchAsync) against none, in this silo.
    if (Wants("live events"))
    {
        var (chain, flows, flowTasks) = smoke ? (100, 10, 10) : (1000, 100, 100);
        // More measured pairs than the other workloads (at least 15): a 5 % difference is within one run's spread.
        var (liveRuns, liveWarmups) = smoke ? (1, 1) : (Math.Max(runs, 15), warmups);
        rows.AddRange(await LiveEventsBench.RunAsync(silo.Client, $"W1 chain of {chain}", Workloads.LinearChain(chain), 1, liveRuns, liveWarmups));
        rows.AddRange(await LiveEventsBench.RunAsync(silo.Client, $"{flows} runs of {flowTasks} at once", Workloads.LinearChain(flowTasks), flows, liveRuns, liveWarmups));
    }
}

// ---- Durable backends: one linear flow, and 100 flows of 100 tasks at once.
{
    var path = Path.Combine(Path.GetTempPath(), $"taskflow-bench-{Environment.ProcessId}.db");
    await using (var silo = await BenchSilo.StartAsync("sqlite", s => s.AddTaskFlowSqlite(o => o.DatabasePath = path).UseInMemoryReminderService(), args))
    {
        await DurableSuiteAsync("SQLite", silo);
    }

    foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
    {
        File.Delete(file);
    }

    // The run index in a store of its own (a new file), so the runs above do not count.
    if (Wants("run index"))
    {
        var indexPath = Path.Combine(Path.GetTempPath(), $"taskflow-bench-index-{Environment.ProcessId}.db");
        await using (var silo = await BenchSilo.StartAsync("sqlite-index", s => s.AddTaskFlowSqlite(o => o.DatabasePath = indexPath).UseInMemoryReminderService(), args))
        {
            rows.AddRange(await RunIndexBench.RunAsync("SQLite", silo, indexRuns, indexQueries));
        }

        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(indexPath) + "*"))
        {
            File.Delete(file);
        }
    }

    // Retention: a flow's latency while the sweep deletes old runs, in a store of its own.
    if (Wants("retention"))
    {
        var retentionPath = Path.Combine(Path.GetTempPath(), $"taskflow-bench-retention-{Environment.ProcessId}.db");
        await using (var silo = await BenchSilo.StartAsync("sqlite-retention",
                         s => NoRetention(s.AddTaskFlowSqlite(o => o.DatabasePath = retentionPath).UseInMemoryReminderService()), args))
        {
            rows.Add(await RetentionBench.RunAsync("SQLite", silo, retentionRuns, retentionSamples, retentionBatch));
        }

        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(retentionPath) + "*"))
        {
            File.Delete(file);
        }
    }
}

if (postgres is { Length: > 0 })
{
    await using var silo = await BenchSilo.StartAsync("postgres",
        s => s.AddTaskFlowPostgreSql(o => o.ConnectionString = postgres).UseInMemoryReminderService(), args);
    await DurableSuiteAsync("PostgreSQL", silo);
    if (Wants("run index"))
    {
        // The run index under a ServiceId of its own, so the runs above do not count; its rows are deleted afterwards.
        await using var indexSilo = await BenchSilo.StartAsync("postgres-index",
            s => s.AddTaskFlowPostgreSql(o => o.ConnectionString = postgres).UseInMemoryReminderService(), args);
        try
        {
            rows.AddRange(await RunIndexBench.RunAsync("PostgreSQL", indexSilo, indexRuns, indexQueries,
                () => RunIndexBench.VacuumPostgreSqlAsync(postgres)));
        }
        finally
        {
            await RunIndexBench.DeletePostgreSqlRunsAsync(postgres, indexSilo.ServiceId);
        }
    }

    if (Wants("retention"))
    {
        await using var retentionSilo = await BenchSilo.StartAsync("postgres-retention",
            s => NoRetention(s.AddTaskFlowPostgreSql(o => o.ConnectionString = postgres).UseInMemoryReminderService()), args);
        try
        {
            rows.Add(await RetentionBench.RunAsync("PostgreSQL", retentionSilo, retentionRuns, retentionSamples, retentionBatch));
        }
        finally
        {
            await RunIndexBench.DeletePostgreSqlRunsAsync(postgres, retentionSilo.ServiceId);
        }
    }
}
else
{
    Console.WriteLine("  PostgreSQL: skipped (set TASKFLOW_POSTGRES to a connection string to measure it).");
}

var report = new StringBuilder();
report.AppendLine("| workload | median | per task | tasks/s | commits per task | target, commits | within target |");
report.AppendLine("|---|---:|---:|---:|---:|---:|:---:|");
foreach (var row in rows)
{
    report.AppendLine(row.ToMarkdown());
}

Console.WriteLine();
Console.WriteLine(report);
if (markdownPath is not null)
{
    await File.WriteAllTextAsync(markdownPath, report.ToString());
}

return 0;

async Task DurableSuiteAsync(string backend, BenchSilo silo)
{
    // TaskFlow's save order (the default) and the relaxed opt-in, side by side in the same silo and run.
    foreach (var durability in new[] { Durability.Strict, Durability.Relaxed })
    {
        var mode = durability == Durability.Strict ? "default" : "relaxed";
        var options = new StartFlowOptions { Durability = durability };
        await MeasureAsync($"{backend} {mode}: W0, one task, start to durable outcome", 1,
            () => RunAsync(silo.Client, Workloads.LinearChain(1), expectSuccess: true, options));
        await MeasureAsync($"{backend} {mode}: one linear run of 1000 tasks", 1000,
            () => RunAsync(silo.Client, Workloads.LinearChain(1000), expectSuccess: true, options), baselineMs: w1.MedianMs,
            targetTasksPerSecond: durability == Durability.Strict ? 2_000 : null);
        await MeasureAsync($"{backend} {mode}: 100 runs of 100 tasks at once", 10_000, async () =>
        {
            var flows = Enumerable.Range(0, 100).Select(_ => RunAsync(silo.Client, Workloads.LinearChain(100), expectSuccess: true, options));
            return (await Task.WhenAll(flows)).All(ok => ok);
        }, targetTasksPerSecond: durability == Durability.Strict ? 10_000 : null);
        await MeasureAsync($"{backend} {mode}: 1000 runs of 20 tasks at once", 20_000, async () =>
        {
            var flows = Enumerable.Range(0, 1000).Select(_ => RunAsync(silo.Client, Workloads.LinearChain(20), expectSuccess: true, options));
            return (await Task.WhenAll(flows)).All(ok => ok);
        }, targetTasksPerSecond: durability == Durability.Strict ? 20_000 : null);
    }
}

static async Task<bool> RunAsync(ITaskFlowClient client, FlowDefinition definition, bool expectSuccess, StartFlowOptions? options = null)
{
    try
    {
        await client.RunAsync(definition, new FlowInputs { ["start"] = 0L }, options);
        return expectSuccess;
    }
    catch (FlowFailedException)
    {
        return !expectSuccess;
    }
}

async Task<Row> MeasureAsync(string name, int tasks, Func<Task<bool>> body, double? targetMs = null, double? baselineMs = null,
    double? targetTasksPerSecond = null)
{
    if (!Wants(name))
    {
        return new Row(name, double.NaN, double.NaN, targetMs);
    }

    for (var i = 0; i < warmups; i++)
    {
        if (!await body())
        {
            throw new InvalidOperationException($"{name}: the workload did not end as expected.");
        }
    }

    var times = new List<double>();
    var writesBefore = Interlocked.Read(ref storageWrites);
    var runWritesBefore = Interlocked.Read(ref runWrites);
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        var ok = await body();
        watch.Stop();
        if (!ok)
        {
            throw new InvalidOperationException($"{name}: the workload did not end as expected.");
        }

        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    var transactions = Interlocked.Read(ref storageWrites) - writesBefore;
    var runWritesMade = Interlocked.Read(ref runWrites) - runWritesBefore;
    var totalSeconds = times.Sum() / 1000;
    var writesPerTask = transactions / (tasks * (double)runs);
    times.Sort();
    var median = times[times.Count / 2];
    var tasksPerSecond = tasks / (median / 1000);
    var commits = transactions > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{transactions / totalSeconds:F0} commits/s, {(double)runWritesMade / transactions:F1} runs/commit")
        : null;
    var versus = baselineMs is { } baseline ? string.Create(CultureInfo.InvariantCulture, $"{median / baseline:F1}× memory W1") : null;
    var target = targetTasksPerSecond is { } wanted
        ? string.Create(CultureInfo.InvariantCulture, $"≥ {wanted:F0} tasks/s: {(tasksPerSecond >= wanted ? "met" : "not met")}")
        : null;
    var row = new Row(name, median, median * 1000 / tasks, targetMs)
    {
        TasksPerSecond = tasksPerSecond,
        WritesPerTask = writesPerTask,
        Note = string.Join("; ", new[] { target, commits, versus }.Where(n => n is not null)) is { Length: > 0 } note ? note : null,
    };
    rows.Add(row);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name}: median {median:F2} ms, {tasksPerSecond:F0} tasks/s, {writesPerTask:F3} commits/task{(commits is null ? "" : $", {commits}")} (runs: {string.Join(", ", times.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))})"));
    return row;
}

static MeterListener ListenToCommits(Action<long> onTransactions, Action<long> onRunWrites)
{
    var listener = new MeterListener
    {
        InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TaskFlowMetrics.MeterName
                && instrument.Name is "taskflow.logbook.transactions" or "taskflow.logbook.runs_per_transaction")
            {
                l.EnableMeasurementEvents(instrument);
            }
        },
    };
    listener.SetMeasurementEventCallback<long>((_, value, _, _) => onTransactions(value));
    listener.SetMeasurementEventCallback<int>((_, value, _, _) => onRunWrites(value));
    listener.Start();
    return listener;
}

// --only takes one prefix or several separated by commas ("baseline,W1").
async Task WarmUntilJitQuietAsync(IReadOnlyList<Func<Task<bool>>> bodies)
{
    var watch = Stopwatch.StartNew();
    long compiled = -1;
    var round = 0;
    // A round that compiles (almost) nothing means every method the workloads use runs optimized; bounded in case a
    // background timer keeps compiling something.
    while (round < 60 && watch.Elapsed < TimeSpan.FromSeconds(90) && (round < 3 || compiled > 2))
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount();
        foreach (var body in bodies)
        {
            await body();
        }

        compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        round++;
    }

    Console.WriteLine($"  warm-up: {round} rounds of every workload in {watch.Elapsed.TotalSeconds:F1} s; the last compiled {compiled} methods");
}

bool Wants(string section) => only is null
    || only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Any(prefix => section.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

static int ReadInt(string[] args, string name, int fallback) =>
    ReadString(args, name) is { } text && int.TryParse(text, out var value) ? value : fallback;

static string? ReadString(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal sealed record Row(string Name, double MedianMs, double PerTaskMicroseconds, double? TargetMs)
{
    public double? TasksPerSecond { get; init; }

    public double? WritesPerTask { get; init; }

    public string? Note { get; init; }

    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {(double.IsNaN(MedianMs) ? "–" : $"{MedianMs:F2} ms")} | {(double.IsNaN(PerTaskMicroseconds) || double.IsNaN(MedianMs) ? "–" : $"{PerTaskMicroseconds:F2} µs")} " +
        $"| {(TasksPerSecond is { } t ? $"{t:F0}" : "–")} | {(WritesPerTask is { } w ? $"{w:F3}" : "–")} " +
        $"| {(TargetMs is { } target ? $"≤ {target} ms" : Note ?? "–")} | {(TargetMs is { } limit && !double.IsNaN(MedianMs) ? (MedianMs <= limit ? "yes" : "no") : "–")} |");
}
