using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.PersistenceExample;

// taskflow/examples/persistence_example.py: a flow run against a persistent backend, failing the first time (its revert
// undoes the greeting) and succeeding the next, printing what the backend holds after each run. TaskFlow decides by
// whether the backend's file exists and removes it after a success; here the runs are in the silo's SQLite store, so the
// example looks for a stored run of the flow and purges the runs after a success. TaskFlow prints the traceback of the
// failure; this prints the failure itself (stack traces stay in the silo's log).

/// <summary>Says hi; its revert takes it back.</summary>
public sealed class HiTask(ExampleConsole console) : FlowTask
{
    public void Execute() => console.WriteLine("Hi!");

    public void Revert() => console.WriteLine("Whooops, said hi too early, take that back!");
}

/// <summary>Says bye, or blows up.</summary>
public sealed class ByeTask(ExampleConsole console) : FlowTask
{
    public void Execute(bool blowup)
    {
        if (blowup)
        {
            throw new InvalidOperationException("Fail!");
        }

        console.WriteLine("Bye!");
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "persistence_example";

    public bool NeedsStore => true;

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<HiTask>().AddTask<ByeTask>();

    private static FlowDefinition MakeFlow(bool blowup) => Flow.Linear("hello-world").Add<HiTask>().Add<ByeTask>(inject: ("blowup", blowup)).Build();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var earlier = await host.Client.ListFlowsAsync(new FlowQuery { Name = "hello-world" });
        var blowup = earlier.Flows.IsEmpty;
        Py.PrintWrapped(console, "Running");
        var handle = await host.Client.StartAsync(MakeFlow(blowup));
        try
        {
            await handle.GetResultAsync();
        }
        catch (FlowFailedException failed)
        {
            console.WriteLine($"Flow failed: {string.Join("; ", failed.Failures.Values.Select(f => f.ToString()))}");
        }

        Py.PrintWrapped(console, "Book contents");
        var stored = await host.Client.GetStoredSnapshotAsync(handle.FlowId);
        console.WriteLine($"Flow '{stored.FlowName}': {StateNames.Of(stored.State)}");
        foreach (var atom in stored.Atoms)
        {
            console.WriteLine($" - {atom.Name}: {StateNames.Of(atom.State)}{(atom.Failure is { } failure ? $" ({failure})" : "")}");
        }

        if (!blowup)
        {
            foreach (var run in (await host.Client.ListFlowsAsync(new FlowQuery { Name = "hello-world", PageSize = 100 })).Flows)
            {
                await host.Client.PurgeAsync(run.FlowId);
            }
        }
    }
}
