using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.SimpleLinearListening;

// taskflow/examples/simple_linear_listening.py: two tasks given one input, with listeners printing every flow and task
// state. TaskFlow registers the callbacks on the engine; here a silo-side listener (IFlowListener) gets the same changes,
// in the engine's order, before the next task is dispatched.

/// <summary>TaskFlow's <c>call_jim</c>.</summary>
public sealed class CallJim(ExampleConsole console) : FlowTask
{
    public void Execute(IReadOnlyDictionary<string, object?> context)
    {
        console.WriteLine("Calling jim.");
        console.WriteLine($"Context = {Py.Repr(context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList())}");
    }
}

/// <summary>TaskFlow's <c>call_joe</c>.</summary>
public sealed class CallJoe(ExampleConsole console) : FlowTask
{
    public void Execute(IReadOnlyDictionary<string, object?> context)
    {
        console.WriteLine("Calling joe.");
        console.WriteLine($"Context = {Py.Repr(context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList())}");
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "simple_linear_listening";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<CallJim>().AddTask<CallJoe>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var flow = Flow.Linear("Call-them").Add<CallJim>().Add<CallJoe>().Build();
        console.OnChange = change =>
        {
            if (change.Event.FlowState is { } flowState)
            {
                console.WriteLine($"Flow => {StateNames.Of(flowState)}");           // flow_watch
            }
            else if (change.Event.AtomState is { } atomState)
            {
                console.WriteLine($"Task {change.Event.Name} => {StateNames.Of(atomState)}"); // task_watch
            }
        };
        try
        {
            await host.Client.RunAsync(flow, new FlowInputs
            {
                ["context"] = new Dictionary<string, object?> { ["joe_number"] = 444, ["jim_number"] = 555 },
            });
        }
        finally
        {
            console.OnChange = null;
        }
    }
}
