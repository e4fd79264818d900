using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// What live events cost: the same workload timed with a subscriber per run consuming its events
/// (<see cref="FlowHandle.WatchAsync(CancellationToken)"/>) and without, alternately in the same silo, and how long an event takes from the
/// change it reports (its <see cref="Snapshots.FlowEvent.Timestamp"/>, taken by the engine when the atom changed) to the
/// subscriber. Targets: at most 5 % slower with subscribers; delay p95 ≤ 500 ms.
/// </summary>
/// <remarks>The slowdown is the median, over alternated pairs (one run with subscribers, one without), of their ratio. A run's time is start to outcome (<see cref="FlowHandle.GetResultAsync"/>), the same code with and without a
/// subscriber; the subscribers start right after their run and are drained (untimed) before the next measurement. Only
/// events stamped after their subscriber started count for the delay, so a subscriber's own start-up does not.</remarks>
internal static class LiveEventsBench
{
    /// <summary>The slowdown target, in percent.</summary>
    public const double TargetSlowdownPercent = 5;

    /// <summary>The delay target (95th percentile), in milliseconds.</summary>
    public const double TargetDelayP95Ms = 500;

    /// <summary>Measures <paramref name="flows"/> concurrent runs of <paramref name="definition"/> with and without subscribers.</summary>
    /// <returns>The slowdown row and the delay row.</returns>
    public static async Task<List<Row>> RunAsync(ITaskFlowClient client, string name, FlowDefinition definition, int flows, int runs, int warmups)
    {
        var delays = new ConcurrentQueue<double>();
        var events = 0L;
        for (var i = 0; i < warmups; i++)
        {
            await RunOnceAsync(client, definition, flows, watch: false, null);
            await RunOnceAsync(client, definition, flows, watch: true, null);
        }

        var without = new List<double>();
        var with = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // One pair per round, alternating which goes first, so a drift of the machine favours neither; the slowdown is the
            // median of the pairs' ratios, which a busy moment of the machine moves less than it moves either median.
            if (i % 2 == 0)
            {
                without.Add((await RunOnceAsync(client, definition, flows, watch: false, null)).Ms);
            }

            var (ms, received) = await RunOnceAsync(client, definition, flows, watch: true, delays);
            with.Add(ms);
            events += received;
            if (i % 2 == 1)
            {
                without.Add((await RunOnceAsync(client, definition, flows, watch: false, null)).Ms);
            }

            ratios.Add(with[^1] / without[^1]);
        }

        var medianWithout = Median(without);
        var medianWith = Median(with);
        var slowdown = (Median(ratios) - 1) * 100;
        var sorted = delays.Order().ToList();
        var p50 = RunIndexBench.Percentile(sorted, 0.50);
        var p95 = RunIndexBench.Percentile(sorted, 0.95);
        var slowdownMet = slowdown <= TargetSlowdownPercent ? "met" : "not met";
        var delayMet = p95 <= TargetDelayP95Ms ? "met" : "not met";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  live events, {name}: median {medianWith:F1} ms with a subscriber per run, {medianWithout:F1} ms without; median of {runs} pairs' ratios {slowdown:+0.0;-0.0} % " +
            $"(target ≤ {TargetSlowdownPercent} %: {slowdownMet}); runs with: {Join(with)}; without: {Join(without)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  live events, {name}: change to subscriber p50 {p50:F2} ms, p95 {p95:F2} ms, max {sorted[^1]:F1} ms over {sorted.Count:N0} events " +
            $"({events / runs:N0} per measured run; target p95 ≤ {TargetDelayP95Ms} ms: {delayMet})"));
        return
        [
            new Row($"live events, {name}: a subscriber per run", medianWith, double.NaN, null)
            {
                Note = string.Create(CultureInfo.InvariantCulture,
                    $"{slowdown:+0.0;-0.0} % (median of {runs} with/without pairs; {medianWithout:F1} ms without); target ≤ {TargetSlowdownPercent} %: {slowdownMet}"),
            },
            new Row($"live events, {name}: delay from change to subscriber", p50, double.NaN, null)
            {
                Note = string.Create(CultureInfo.InvariantCulture,
                    $"p50 {p50:F2} ms, p95 {p95:F2} ms over {sorted.Count:N0} events; target p95 ≤ {TargetDelayP95Ms} ms: {delayMet}"),
            },
        ];
    }

    /// <summary>Starts <paramref name="flows"/> runs at once, optionally a subscriber for each, and times them to their outcome.</summary>
    private static async Task<(double Ms, long Events)> RunOnceAsync(
        ITaskFlowClient client, FlowDefinition definition, int flows, bool watch, ConcurrentQueue<double>? delays)
    {
        var timer = Stopwatch.StartNew();
        var started = await Task.WhenAll(Enumerable.Range(0, flows).Select(async _ =>
        {
            var handle = await client.StartAsync(definition, new FlowInputs { ["start"] = 0L });
            // The subscriber starts as soon as its run has, like a caller that watches what it started.
            return (Handle: handle, Subscriber: watch ? Task.Run(() => ConsumeAsync(handle, delays)) : Task.FromResult(0L));
        }));
        await Task.WhenAll(started.Select(s => s.Handle.GetResultAsync()));
        timer.Stop();
        var received = await Task.WhenAll(started.Select(s => s.Subscriber));
        return (timer.Elapsed.TotalMilliseconds, received.Sum());
    }

    /// <summary>Consumes a run's events until it finishes, noting each event's delay.</summary>
    private static async Task<long> ConsumeAsync(FlowHandle handle, ConcurrentQueue<double>? delays)
    {
        var started = DateTimeOffset.UtcNow;
        long count = 0;
        await foreach (var flowEvent in handle.WatchAsync())
        {
            count++;
            if (delays is not null && flowEvent.Timestamp >= started)
            {
                delays.Enqueue((DateTimeOffset.UtcNow - flowEvent.Timestamp).TotalMilliseconds);
            }
        }

        return count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Join(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
}
