using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans;
using TaskFlow.Orleans.Benchmarks;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

// A console benchmark (warm-up, then the median of several runs) rather than BenchmarkDotNet: every workload shares
// one silo, and the baselines run in the same process and the same run so they see the same machine.
var smoke = args.Contains("--smoke");
var runs = smoke ? 1 : ReadInt(args, "--runs", 7);
var warmups = smoke ? 1 : ReadInt(args, "--warmups", 10);
var markdownPath = ReadString(args, "--markdown");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: 11411, gatewayPort: 30411, serviceId: "taskflow-bench", clusterId: "bench")
    .AddMemoryGrainStorage("taskflow")
    .UseInMemoryReminderService()
    .AddTaskFlow(taskFlow => taskFlow
        .Configure(o =>
        {
            o.MaxUnpersistedTransitions = ReadInt(args, "--window", o.MaxUnpersistedTransitions);
            o.MaxCommitDelay = TimeSpan.FromMilliseconds(ReadInt(args, "--commit-delay-ms", (int)o.MaxCommitDelay.TotalMilliseconds));
        })
        .AddTask("bench.add-one", (long value) => value + 1, revert: (long value) => { })
        .AddTask("bench.one", () => 1L)
        .AddTask("bench.join", () => 0L)
        .AddTask("bench.fail", (long value) => FailingStep(value))));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var client = new TaskFlowClient(grains);
var inputs = new FlowInputs { ["start"] = 0L };

var rows = new List<Row>();
Console.WriteLine($"TaskFlow.Orleans benchmarks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(smoke ? "smoke run" : $"{warmups} warm-ups, median of {runs} runs")}");

// Baselines first, in the same run.
Func<long, long> addOne = value => value + 1;
var loop = Measure("baseline: plain C# loop, 1000 steps", 1000, () =>
{
    long value = 0;
    for (var i = 0; i < 1000; i++)
    {
        value = addOne(value);
    }

    return Task.FromResult(value == 1000);
});
var raw = await MeasureAsync("baseline: raw Orleans grain-to-grain chain, 1000 calls", 1000,
    async () => await grains.GetGrain<IChainGrain>(0).RunChainAsync(1000) == 1000);

var w0 = await MeasureAsync("W0: one task, start to durable outcome", 1, () => RunAsync(Workloads.LinearChain(1), expectSuccess: true));
var w1 = await MeasureAsync("W1: linear chain, 1000 tasks", 1000, () => RunAsync(Workloads.LinearChain(1000), expectSuccess: true), targetMs: 20);
var w2 = await MeasureAsync("W2: 1000 independent tasks, then a join", 1001, () => RunAsync(Workloads.FanOutJoin(1000), expectSuccess: true), targetMs: 10);
var w3 = await MeasureAsync("W3: 50-task chain, last fails, 50 reverts", 50, () => RunAsync(Workloads.FailingChain(50), expectSuccess: false), targetMs: 2);
var w1Large = await MeasureAsync("W1: linear chain, 10000 tasks", 10000, () => RunAsync(Workloads.LinearChain(10000), expectSuccess: true));

var ratio = w1Large.PerTaskMicroseconds / w1.PerTaskMicroseconds;
var report = new StringBuilder();
report.AppendLine("| workload | median | per task | target | within target |");
report.AppendLine("|---|---:|---:|---:|:---:|");
foreach (var row in rows)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {row.Name} | {row.MedianMs:F2} ms | {row.PerTaskMicroseconds:F2} µs | {(row.TargetMs is { } t ? $"≤ {t} ms" : "–")} | {(row.TargetMs is { } target ? (row.MedianMs <= target ? "yes" : "no") : "–")} |");
}

report.AppendLine(CultureInfo.InvariantCulture,
    $"| W1 per-task cost at 10,000 / at 1,000 | {ratio:F2}× | | ≤ 1.2× | {(ratio <= 1.2 ? "yes" : "no")} |");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture,
    $"W1 (1000) is {w1.MedianMs / raw.MedianMs:F1}× the raw grain-call chain and {w1.MedianMs / loop.MedianMs:F0}× the plain loop.");
Console.WriteLine();
Console.WriteLine(report);
if (markdownPath is not null)
{
    await File.WriteAllTextAsync(markdownPath, report.ToString());
}

await host.StopAsync();
return 0;

async Task<bool> RunAsync(FlowDefinition definition, bool expectSuccess)
{
    try
    {
        await client.RunAsync(definition, inputs);
        return expectSuccess;
    }
    catch (FlowFailedException)
    {
        return !expectSuccess;
    }
}

Row Measure(string name, int tasks, Func<Task<bool>> body, double? targetMs = null) =>
    MeasureAsync(name, tasks, body, targetMs).GetAwaiter().GetResult();

async Task<Row> MeasureAsync(string name, int tasks, Func<Task<bool>> body, double? targetMs = null)
{
    if (ReadString(args, "--only") is { } only && !name.StartsWith(only, StringComparison.OrdinalIgnoreCase))
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

    times.Sort();
    var median = times[times.Count / 2];
    var row = new Row(name, median, median * 1000 / tasks, targetMs);
    rows.Add(row);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: median {median:F2} ms (runs: {string.Join(", ", times.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))})"));
    return row;
}

static long FailingStep(long value) => throw new InvalidOperationException($"Step fails on purpose with value {value}.");

static int ReadInt(string[] args, string name, int fallback) =>
    ReadString(args, name) is { } text && int.TryParse(text, out var value) ? value : fallback;

static string? ReadString(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal sealed record Row(string Name, double MedianMs, double PerTaskMicroseconds, double? TargetMs);
