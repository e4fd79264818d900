using System.Diagnostics;
using System.Globalization;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.CreateParallelVolume;

// taskflow/examples/create_parallel_volume.py: five volumes made at once by an unordered flow, with a printing listener
// (TaskFlow's PrintingListener: "has moved task ... into state ... from state ...", here from the events' old and new
// states) and the whole run timed. The volume id is the atom's name suffix, as TaskFlow builds the task's name from it.
// Each volume takes up to 0.3 s rather than up to 3 s, to keep the example quick; the order they finish in is random.

/// <summary>Makes one volume.</summary>
public sealed class VolumeCreator(ExampleConsole console) : FlowTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var volumeId = Context.AtomName["VolumeCreator-".Length..];
        console.WriteLine($"Making volume {volumeId}");
        await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * 0.3), cancellationToken);
        console.WriteLine($"Finished making volume {volumeId}");
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    private const int VolumeCount = 5;

    public string Name => "create_parallel_volume";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<VolumeCreator>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var flow = Flow.Unordered("volume-maker");
        for (var i = 0; i < VolumeCount; i++)
        {
            flow.Add<VolumeCreator>($"VolumeCreator-vol-{i}");
        }

        console.OnChange = change =>
        {
            var e = change.Event;
            if (e.FlowState is { } to)
            {
                console.WriteLine($"has moved flow '{e.Name}' ({change.FlowId}) into state '{StateNames.Of(to)}' from state '{StateNames.Of(e.PreviousFlowState!.Value)}'");
            }
            else if (e.AtomState is { } state && e.PreviousAtomState is { } from)
            {
                console.WriteLine($"has moved task '{e.Name}' into state '{StateNames.Of(state)}' from state '{StateNames.Of(from)}'");
            }
        };
        var clock = Stopwatch.StartNew();
        try
        {
            await host.Client.RunAsync(flow.Build());
        }
        finally
        {
            console.OnChange = null;
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $" -- Volume-Maker took {clock.Elapsed.TotalSeconds:0.000} seconds"));
    }
}
