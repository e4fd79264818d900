using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Retention;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// A flow's latency while retention deletes many old runs, against the same flow with no retention running, in the same
/// silo and run: <c>oldRuns</c> finished runs (40 days old, 5 atom rows each) are written straight through the store, a chain
/// of <see cref="ChainLength"/> tasks is timed run after run before the sweep (baseline), while the sweep deletes them with
/// the default batch size and pause (one statement per batch), and after it (baseline again). Prints the medians, p95s and the
/// slowdown against the target (≤ 10 %).
/// </summary>
internal static class RetentionBench
{
    /// <summary>Tasks in the timed flow.</summary>
    public const int ChainLength = 20;

    /// <summary>The slowdown target, in percent.</summary>
    public const double TargetSlowdownPercent = 10;

    /// <summary>Runs the benchmark.</summary>
    /// <param name="backend">The backend's name, for the output.</param>
    /// <param name="silo">A silo whose store holds nothing else of its ServiceId, with the silo's own retention off.</param>
    /// <param name="oldRuns">How many old runs to load and delete.</param>
    /// <param name="samples">How many timed runs make each baseline.</param>
    /// <param name="batchSize">Runs per batch.</param>
    /// <returns>One row.</returns>
    public static async Task<Row> RunAsync(string backend, BenchSilo silo, int oldRuns, int samples, int batchSize)
    {
        var store = silo.Services.GetRequiredService<ILogbookStore>();
        var load = Stopwatch.StartNew();
        await LoadAsync(store, oldRuns);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {backend} retention: {oldRuns:N0} old finished runs written in {load.Elapsed.TotalSeconds:F1} s"));

        var flow = Workloads.LinearChain(ChainLength);
        for (var i = 0; i < 10; i++)
        {
            await TimeOneAsync(silo.Client, flow);
        }

        var before = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            before.Add(await TimeOneAsync(silo.Client, flow));
        }

        var options = new TaskFlowRetentionOptions { BatchSize = batchSize }; // otherwise the defaults
        var sweep = new RetentionSweep(silo.Services.GetRequiredService<FinishedRunsPurger>(), options, TimeProvider.System,
            silo.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RetentionBench"));
        var sweepWatch = Stopwatch.StartNew();
        var sweeping = Task.Run(() => sweep.RunAsync());
        var during = new List<double>();
        while (!sweeping.IsCompleted)
        {
            var ms = await TimeOneAsync(silo.Client, flow);
            if (!sweeping.IsCompleted)
            {
                during.Add(ms); // only runs that began and ended while the sweep was deleting
            }
        }

        var deleted = await sweeping;
        var sweepSeconds = sweepWatch.Elapsed.TotalSeconds;
        if (deleted.Count != oldRuns)
        {
            throw new InvalidOperationException($"{backend} retention: the sweep deleted {deleted.Count} runs, not the {oldRuns} old ones.");
        }

        var after = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            after.Add(await TimeOneAsync(silo.Client, flow));
        }

        var baseline = before.Concat(after).Order().ToList();
        during.Sort();
        var baseMedian = Percentile(baseline, 0.5);
        var duringMedian = Percentile(during, 0.5);
        var slowdown = (duringMedian / baseMedian - 1) * 100;
        var p95Slowdown = (Percentile(during, 0.95) / Percentile(baseline, 0.95) - 1) * 100;
        var met = slowdown <= TargetSlowdownPercent ? "met" : "not met";
        var note = string.Create(CultureInfo.InvariantCulture,
            $"without retention {baseMedian:F1} ms (p95 {Percentile(baseline, 0.95):F1}); while deleting {duringMedian:F1} ms (p95 {Percentile(during, 0.95):F1}) over {during.Count} runs: " +
            $"{slowdown:+0.0;-0.0} % median, {p95Slowdown:+0.0;-0.0} % p95 (target ≤ {TargetSlowdownPercent} %: {met}); sweep: {oldRuns:N0} runs in {sweepSeconds:F1} s, batches of {batchSize}");
        Console.WriteLine($"  {backend} retention: {note}");
        return new Row(string.Create(CultureInfo.InvariantCulture, $"{backend}: chain of {ChainLength} while retention deletes {oldRuns:N0} old runs"), duringMedian, double.NaN, null)
        {
            Note = note,
        };
    }

    private static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<double> TimeOneAsync(ITaskFlowClient client, Definitions.FlowDefinition flow)
    {
        var watch = Stopwatch.StartNew();
        await client.RunAsync(flow, new FlowInputs { ["start"] = 0L });
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task LoadAsync(ILogbookStore store, int runs)
    {
        var header = new byte[1024];
        var payload = new byte[300];
        var atom = new byte[200];
        Random.Shared.NextBytes(header);
        Random.Shared.NextBytes(payload);
        Random.Shared.NextBytes(atom);
        var counts = new int[Enum.GetValues<AtomState>().Length];
        counts[(int)AtomState.Success] = 5;
        var finishedBase = DateTimeOffset.UtcNow - TimeSpan.FromDays(40);
        const int batchSize = 1000;
        for (var start = 0; start < runs; start += batchSize)
        {
            var batch = new List<LogbookWrite>(batchSize);
            for (var i = start; i < Math.Min(runs, start + batchSize); i++)
            {
                var finished = finishedBase - TimeSpan.FromSeconds(i);
                batch.Add(new LogbookWrite
                {
                    RunId = string.Create(CultureInfo.InvariantCulture, $"old-{i:D7}"),
                    WriteId = Guid.NewGuid(),
                    ExpectedVersion = 0,
                    Header = header,
                    Run = new RunRow
                    {
                        FlowName = "old-flow",
                        State = i % 10 == 0 ? FlowState.Reverted : FlowState.Success,
                        CreatedAt = finished - TimeSpan.FromMinutes(1),
                        UpdatedAt = finished,
                        FinishedAt = finished,
                        Silo = "bench",
                        AtomCounts = counts,
                        Payload = payload,
                    },
                    Atoms = [.. Enumerable.Range(0, 5).Select(a => new AtomRow(a, AtomState.Success, atom))],
                });
            }

            var statuses = await store.WriteAsync(batch);
            if (statuses.Any(s => s != LogbookWriteStatus.Committed))
            {
                throw new InvalidOperationException("Loading old runs: some writes were not committed.");
            }
        }
    }
}
