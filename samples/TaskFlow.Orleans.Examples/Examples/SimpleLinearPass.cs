using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.SimpleLinearPass;

// taskflow/examples/simple_linear_pass.py: a value passed from one task to the next by name.

/// <summary>Provides 'a'.</summary>
[DefaultProvides("a")]
public sealed class TaskA(ExampleConsole console) : FlowTask
{
    public string Execute()
    {
        console.WriteLine($"Executing '{Context.AtomName}'");
        return "a";
    }
}

/// <summary>Requires 'a'.</summary>
public sealed class TaskB(ExampleConsole console) : FlowTask
{
    public void Execute(string a)
    {
        console.WriteLine($"Executing '{Context.AtomName}'");
        console.WriteLine($"Got input '{a}'");
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "simple_linear_pass";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<TaskA>().AddTask<TaskB>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        console.WriteLine("Constructing...");
        var wf = Flow.Linear("pass-from-to").Add<TaskA>("a").Add<TaskB>("b").Build();
        // TaskFlow loads, compiles and prepares in the caller; here the silo does all three when the run starts.
        console.WriteLine("Loading...");
        console.WriteLine("Compiling...");
        console.WriteLine("Preparing...");
        console.WriteLine("Running...");
        await host.Client.RunAsync(wf);
        console.WriteLine("Done...");
    }
}
