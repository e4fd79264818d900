using System.Diagnostics;
using System.Globalization;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// Where one run's time goes, as a client sees it: the start call (definition shipped, compiled, set up, first dispatch),
/// the wait for the outcome, and the final snapshot that <c>RunAsync</c> reads for its result. Medians of several runs.
/// </summary>
internal static class BreakdownBench
{
    public static async Task RunAsync(ITaskFlowClient client, IGrainFactory grains, string name, FlowDefinition definition, int runs, int warmups)
    {
        var start = new List<double>();
        var wait = new List<double>();
        var snapshot = new List<double>();
        var gc0 = 0; var gc1 = 0; var gc2 = 0; long allocated = 0;
        for (var i = 0; i < warmups + runs; i++)
        {
            var (c0, c1, c2, a) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
            var watch = Stopwatch.StartNew();
            var handle = await client.StartAsync(definition, new FlowInputs { ["start"] = 0L });
            var started = watch.Elapsed.TotalMilliseconds;
            var grain = grains.GetGrain<TaskFlow.Orleans.Grains.IFlowGrain>(handle.FlowId);
            while (!(await grain.WaitForCompletionAsync(TimeSpan.FromSeconds(10))).IsFinished)
            {
            }

            var finished = watch.Elapsed.TotalMilliseconds;
            await handle.GetSnapshotAsync();
            var read = watch.Elapsed.TotalMilliseconds;
            if (i >= warmups)
            {
                start.Add(started);
                wait.Add(finished - started);
                snapshot.Add(read - finished);
                gc0 += GC.CollectionCount(0) - c0; gc1 += GC.CollectionCount(1) - c1; gc2 += GC.CollectionCount(2) - c2;
                allocated += GC.GetTotalAllocatedBytes() - a;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  breakdown {name}: start {Median(start):F2} ms, run to outcome {Median(wait):F2} ms, final snapshot {Median(snapshot):F2} ms; per run: GCs {gc0 / (double)runs:F1}/{gc1 / (double)runs:F1}/{gc2 / (double)runs:F1} (gen0/1/2), {allocated / runs / 1024.0 / 1024:F1} MiB allocated"));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
