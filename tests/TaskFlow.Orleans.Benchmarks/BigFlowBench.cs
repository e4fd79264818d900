using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// Big flows: how long compiling takes (in the silo's process, no grain call), and how long a 100,000-task flow takes to
/// start from a client and to answer a status and a first page of its snapshot.
/// </summary>
internal static class BigFlowBench
{
    public static void Compile(IServiceProvider services, IEnumerable<(string Name, FlowDefinition Definition)> flows)
    {
        var catalog = services.GetRequiredService<ITaskCatalog>();
        var inputs = new[] { "start" };
        foreach (var (name, definition) in flows)
        {
            FlowCompiler.Compile(definition, catalog, inputs); // warm
            var times = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var compiled = FlowCompiler.Compile(definition, catalog, inputs);
                times.Add(watch.Elapsed.TotalMilliseconds);
                GC.KeepAlive(compiled);
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  compile {name}: median {times[1]:F2} ms"));
        }
    }

    /// <summary>Starts a big flow from the client and reads it while it runs: the start (shipped, compiled, set up, first
    /// dispatch), a status, the first page of its snapshot, then waits for its outcome.</summary>
    public static async Task<Row> StartAsync(ITaskFlowClient client, string name, FlowDefinition definition, int tasks)
    {
        var watch = Stopwatch.StartNew();
        var handle = await client.StartAsync(definition, new FlowInputs { ["start"] = 0L });
        var start = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var status = await handle.GetStatusAsync();
        var statusMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var page = await handle.GetSnapshotPageAsync(0, 100);
        var pageMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var last = await handle.GetSnapshotPageAsync(tasks - 100, 100);
        var lastMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await handle.GetResultAsync();
        var run = watch.Elapsed.TotalMilliseconds;
        if (page.Atoms.Length != 100 || page.AtomCount != tasks || last.FirstAtom != tasks - 100)
        {
            throw new InvalidOperationException($"{name}: the snapshot pages are wrong ({page.Atoms.Length} atoms of {page.AtomCount}).");
        }

        var note = string.Create(CultureInfo.InvariantCulture,
            $"start {start:F0} ms (target ≤ 2,000: {(start <= 2000 ? "met" : "not met")}), status {statusMs:F1} ms ({status.State}), " +
            $"snapshot pages of 100: first {pageMs:F1} ms, last {lastMs:F1} ms (target ≤ 1,000), then ran to its outcome in {run:F0} ms");
        Console.WriteLine($"  {name}: {note}");
        return new Row(name, start, double.NaN, null) { Note = note };
    }
}
