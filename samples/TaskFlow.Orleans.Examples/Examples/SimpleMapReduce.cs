using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.SimpleMapReduce;

// taskflow/examples/simple_map_reduce.py: ten mappers sum a chunk each in parallel (at most four at once: TaskFlow's
// max_workers=4, here MaxConcurrency), then a reducer takes every partial sum by keyword (**kwargs, here [RequiredValues]).

/// <summary>Sums its chunk.</summary>
public sealed class SumMapper : FlowTask
{
    public long Execute(long[] inputs) => inputs.Sum();
}

/// <summary>Adds every reduction_* value it is given.</summary>
public sealed class TotalReducer : FlowTask
{
    public long Execute([RequiredValues] IReadOnlyDictionary<string, object?> kwargs) =>
        kwargs.Where(p => p.Key.StartsWith("reduction_", StringComparison.Ordinal)).Sum(p => (long)p.Value!);
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    private const int UpperBound = 10000;
    private const int Split = 10;
    private const int ChunkSize = UpperBound / Split;

    public string Name => "simple_map_reduce";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<SumMapper>().AddTask<TotalReducer>();

    private static IEnumerable<long[]> ChunkIter(int chunkSize, int upperBound) =>
        Enumerable.Range(0, upperBound).Select(i => (long)i).Chunk(chunkSize);

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var w = Flow.Linear("root");
        var store = new FlowInputs();
        var provided = new List<string>();
        var mappers = Flow.Unordered("map");
        foreach (var (chunk, i) in ChunkIter(ChunkSize, UpperBound).Select((chunk, i) => (chunk, i)))
        {
            var mapperName = $"mapper_{i}";
            store[mapperName] = chunk;
            provided.Add($"reduction_{i}");
            mappers.Add<SumMapper>(mapperName, rebind: ("inputs", mapperName), provides: provided[^1]);
        }

        w.Add(mappers);
        w.Add<TotalReducer>("reducer", requires: provided.ToArray());
        var options = new FlowEngineOptions { MaxConcurrency = 4 };
        console.WriteLine($"Running a parallel engine with options: {Py.Dict([new("max_concurrency", options.MaxConcurrency)])}");
        var result = await host.Client.RunAsync(w.Build(options), store);
        var total = result.Snapshot.Atom("reducer").Result;
        console.WriteLine($"Calculated result = {total}");
        var calcTotal = Enumerable.Range(0, UpperBound).Sum(i => (long)i);
        if (!Equals(calcTotal, total))
        {
            throw new InvalidOperationException($"The reducer's total {total} is not {calcTotal}.");
        }
    }
}
