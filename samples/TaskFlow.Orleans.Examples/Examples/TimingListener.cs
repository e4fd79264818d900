using System.Globalization;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.TimingListener;

// taskflow/examples/timing_listener.py: a listener that prints when each task and the flow start and how long each took
// (TaskFlow's PrintingDurationListener), here from the listener's events: the engine's timestamps and each call's duration.
// The tasks sleep up to 0.2 s rather than up to 1 s, to keep the example quick.

/// <summary>Sleeps a random time.</summary>
public sealed class VariableTask : FlowTask
{
    public Task Execute(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * 0.2), cancellationToken);
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "timing_listener";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<VariableTask>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var f = Flow.Linear("root").Add<VariableTask>("a").Add<VariableTask>("b").Add<VariableTask>("c").Build();
        DateTimeOffset? flowStarted = null;
        console.OnChange = change =>
        {
            var e = change.Event;
            if (e.FlowState is { } flowState)
            {
                if (flowState == FlowState.Running)
                {
                    flowStarted = e.Timestamp;
                    console.WriteLine($"'{e.Name}' flow started.");
                }
                else if (flowState is FlowState.Success or FlowState.Failure or FlowState.Reverted && flowStarted is { } started)
                {
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"It took flow '{e.Name}' {(e.Timestamp - started).TotalSeconds:0.00} seconds to finish."));
                }
            }
            else if (e.AtomState == AtomState.Running)
            {
                console.WriteLine($"'{e.Name}' task started.");
            }
            else if (e.AtomState is AtomState.Success or AtomState.Failure or AtomState.Reverted && change.Duration is { } took)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"It took task '{e.Name}' {took.TotalSeconds:0.00} seconds to finish."));
            }
        };
        try
        {
            await host.Client.RunAsync(f);
        }
        finally
        {
            console.OnChange = null;
        }
    }
}
