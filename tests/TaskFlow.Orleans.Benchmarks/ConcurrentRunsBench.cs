using System.Diagnostics;
using System.Globalization;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// Many runs at once: <c>runs</c> runs of a 20-task chain started together from the client, while one reader asks for the
/// snapshot of a random running run, one request after another. Reports the aggregate tasks per second (every task of every
/// run, over the time from the first start to the last outcome), the snapshot latency percentiles seen while the runs
/// worked, and the process's peak working set and managed heap over the workload.
/// </summary>
internal static class ConcurrentRunsBench
{
    public static async Task<Row> RunAsync(ITaskFlowClient client, int runs, int tasksPerRun)
    {
        var definition = Workloads.LinearChain(tasksPerRun);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long peakWorkingSet = workingSetBefore, peakHeap = heapBefore;

        var watch = Stopwatch.StartNew();
        var handles = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ => client.StartAsync(definition, new FlowInputs { ["start"] = 0L })));
        var started = watch.Elapsed.TotalMilliseconds;
        var results = handles.Select(h => h.GetResultAsync()).ToArray();
        var all = Task.WhenAll(results);

        // The reader: one snapshot at a time of a random run, while any run still works.
        var latencies = new List<double>();
        var random = new Random(7);
        while (!all.IsCompleted)
        {
            var one = Stopwatch.StartNew();
            await handles[random.Next(handles.Length)].GetSnapshotAsync();
            latencies.Add(one.Elapsed.TotalMilliseconds);
            if (latencies.Count % 20 == 0)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            }
        }

        await all;
        var elapsed = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
        peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        var tasksPerSecond = runs * tasksPerRun / (elapsed / 1000);
        var name = $"memory: {runs:N0} runs of {tasksPerRun} tasks at once";
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{tasksPerSecond:F0} tasks/s (target ≥ 50,000: {(tasksPerSecond >= 50_000 ? "met" : "not met")}); all started in {started:F0} ms; " +
            $"snapshot p50 {P(0.5):F1} ms, p99 {P(0.99):F1} ms over {latencies.Count} reads (target p99 < 50 ms: {(P(0.99) < 50 ? "met" : "not met")}); " +
            $"peak working set +{(peakWorkingSet - workingSetBefore) / 1048576.0:F0} MiB ({peakWorkingSet / 1048576.0:F0} MiB), " +
            $"managed heap +{(peakHeap - heapBefore) / 1048576.0:F0} MiB");
        Console.WriteLine($"  {name}: {elapsed:F0} ms; {note}");
        return new Row(name, elapsed, elapsed * 1000 / (runs * tasksPerRun), null) { TasksPerSecond = tasksPerSecond, Note = note };
    }
}
