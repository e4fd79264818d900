using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.RunByIterEnumerate;

// taskflow/examples/run_by_iter_enumerate.py: run a flow as a stream of states, numbering each. TaskFlow's run_iter yields
// the engine's internal machine states (RESUMING, SCHEDULING, WAITING, ANALYZING); this engine has no such loop to step, so
// the stream here is the run's own changes, flow and atom states in the engine's order (TaskFlow's capture form), from a
// silo-side listener; a client gets the same stream with FlowHandle.WatchAsync.

/// <summary>Prints its own name.</summary>
public sealed class EchoNameTask(ExampleConsole console) : FlowTask
{
    public void Execute() => console.WriteLine(Context.AtomName);
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "run_by_iter_enumerate";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<EchoNameTask>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var f = Flow.Linear("counter");
        for (var i = 0; i < 10; i++)
        {
            f.Add<EchoNameTask>($"echo_{i + 1}");
        }

        var transition = 0;
        console.OnChange = change =>
        {
            if (change.Event.Progress is null)
            {
                console.WriteLine($"Transition {++transition}: {change.Event}");
            }
        };
        try
        {
            await host.Client.RunAsync(f.Build());
        }
        finally
        {
            console.OnChange = null;
        }
    }
}
