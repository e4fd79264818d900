using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.DelayedReturn;

// taskflow/examples/delayed_return.py: a listener hands one task's result to the caller as soon as that task succeeds,
// while the flow carries on (TaskFlow's PokeFutureListener resolving a future); then the flow's final state is printed.

/// <summary>Says hi.</summary>
public sealed class Hi : FlowTask
{
    public string Execute() => "hi";
}

/// <summary>Says bye.</summary>
public sealed class Bye : FlowTask
{
    public string Execute() => "bye";
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "delayed_return";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<Hi>().AddTask<Bye>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var future = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        console.OnChange = change =>
        {
            // PokeFutureListener._task_receiver
            if (change.Event.Name == "hi" && change.Event.AtomState == AtomState.Success)
            {
                future.TrySetResult(change.Event.Result);
            }
            else if (change.Event.Name == "hi" && change.Event.AtomState == AtomState.Failure)
            {
                future.TrySetException(new InvalidOperationException(change.Event.Failure?.Message));
            }
        };
        try
        {
            var wf = Flow.Linear("root").Add<Hi>("hi").Add<Bye>("bye").Build();
            var engine = await host.Client.StartAsync(wf);
            console.WriteLine(Py.Str(await future.Task.WaitAsync(TimeSpan.FromSeconds(30))));
            var result = await engine.GetResultAsync();
            console.WriteLine(StateNames.Of(result.State));
        }
        finally
        {
            console.OnChange = null;
        }
    }
}
