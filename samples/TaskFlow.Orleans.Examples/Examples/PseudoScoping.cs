using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.PseudoScoping;

// taskflow/examples/pseudo_scoping.py: the same tasks used for several people in one flow, each copy reading and writing
// prefixed names through a positional rebind (TaskFlow's rebind=[...], here Rebind.Positional).

/// <summary>Fetches a number from the phone book.</summary>
[DefaultProvides("number")]
public sealed class FetchNumberTask(ExampleConsole console) : FlowTask
{
    private static readonly Dictionary<string, string> PhoneBook = new() { ["jim"] = "444", ["joe"] = "555", ["iv_m"] = "666", ["josh"] = "777" };

    public string Execute(string person)
    {
        console.WriteLine($"Fetching number for {person}.");
        return PhoneBook[person.ToLowerInvariant()];
    }
}

/// <summary>Calls a person by number.</summary>
public sealed class CallTask(ExampleConsole console) : FlowTask
{
    public void Execute(string person, string number) => console.WriteLine($"Calling {person} {number}.");
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "pseudo_scoping";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<FetchNumberTask>().AddTask<CallTask>();

    private static FlowBuilder SubflowFactory(string prefix)
    {
        string Pr(string what) => $"{prefix}-{what}";
        return Flow.Linear(Pr("flow"))
            .Add<FetchNumberTask>(Pr("fetch"), provides: Pr("number"), rebind: Rebind.Positional(Pr("person")))
            .Add<CallTask>(Pr("call"), rebind: Rebind.Positional(Pr("person"), Pr("number")));
    }

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        var simpleFlow = Flow.Linear("simple one").Add<FetchNumberTask>().Add<CallTask>().Build();
        console.WriteLine("Running simple flow:");
        await host.Client.RunAsync(simpleFlow, new FlowInputs { ["person"] = "Josh" });

        console.WriteLine();
        console.WriteLine("Calling many people using prefixed factory:");
        var flow = Flow.Linear("call-them-prefixed");
        var persons = new FlowInputs();
        foreach (var person in new[] { "Jim", "Joe", "Josh" })
        {
            var prefix = person.ToLowerInvariant();
            persons[$"{prefix}-person"] = person;
            flow.Add(SubflowFactory(prefix));
        }

        await host.Client.RunAsync(flow.Build(), persons);
    }
}
