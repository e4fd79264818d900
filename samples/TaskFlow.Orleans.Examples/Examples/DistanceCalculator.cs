using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.DistanceCalculator;

// taskflow/examples/distance_calculator.py: optional arguments with defaults, filled from the store or injected per atom.
// TaskFlow's engines.run returns storage.fetch_all(); here FlowResult.All (inputs and results).

/// <summary>TaskFlow's <c>Point = namedtuple("Point", "x,y")</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Point([property: Id(0)] int X, [property: Id(1)] int Y)
{
    /// <summary>The origin, the default of both arguments.</summary>
    public static Point Origin { get; } = new(0, 0);

    /// <inheritdoc />
    public override string ToString() => $"Point(x={X}, y={Y})";
}

/// <summary>The distance between two points, each the origin unless given.</summary>
[DefaultProvides("distance")]
public sealed class DistanceTask : FlowTask
{
    // C# defaults must be constants: null stands for TaskFlow's Point(0, 0).
    public double Execute(Point? a = null, Point? b = null)
    {
        (a, b) = (a ?? Point.Origin, b ?? Point.Origin);
        return Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2));
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "distance_calculator";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<DistanceTask>();

    private static bool IsNear(double value, double expected, double tolerance = 0.001) =>
        value <= expected + tolerance && value >= expected - tolerance;

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        async Task RunAndPrint(FlowDefinition flow, FlowInputs? store, double expected)
        {
            var results = (await host.Client.RunAsync(flow, store)).All;
            console.WriteLine(Py.Dict(results.OrderBy(p => p.Key, StringComparer.Ordinal)));
            var distance = (double)results["distance"]!;
            console.WriteLine($"{Py.Str(distance)} is near-enough to {Py.Str(expected)}: {Py.Str(IsNear(distance, expected))}");
        }

        var anyDistance = Flow.Linear("origin").Add<DistanceTask>().Build();
        await RunAndPrint(anyDistance, null, 0.0);
        await RunAndPrint(anyDistance, new FlowInputs { ["a"] = new Point(1, 1) }, 1.4142);
        await RunAndPrint(anyDistance, new FlowInputs { ["a"] = new Point(10, 10) }, 14.14199);
        await RunAndPrint(anyDistance, new FlowInputs { ["a"] = new Point(5, 5), ["b"] = new Point(10, 10) }, 7.07106);

        // Inject a value only this atom sees (TaskFlow's task-level inject).
        var tenDistance = Flow.Linear("ten").Add<DistanceTask>(inject: ("a", new Point(10, 10))).Build();
        await RunAndPrint(tenDistance, new FlowInputs { ["b"] = new Point(10, 10) }, 0.0);
        await RunAndPrint(tenDistance, null, 14.14199);
    }
}
