using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Examples.BuildACar;

// taskflow/examples/build_a_car.py: a graph flow ordered by what each step requires and provides, a verify step that takes
// every part as keyword arguments (TaskFlow's **kwargs; here [RequiredValues]), and a revert that throws the car away when
// the spec does not match. The originals are functions wrapped in FunctorTask; here they are registered delegates named after
// them, and MaxConcurrency = 1 runs the graph one task at a time, as TaskFlow's default serial engine does, so the printed
// order is fixed.

/// <summary>TaskFlow's <c>startup(**kwargs)</c> with revert <c>trash(**kwargs)</c>.</summary>
public sealed class Startup(ExampleConsole console) : FlowTask
{
    public bool Execute([RequiredValues] IReadOnlyDictionary<string, object?> kwargs) => true;

    public void Revert([RequiredValues] IReadOnlyDictionary<string, object?> kwargs) => Py.PrintWrapped(console, "Throwing away pieces of car!");
}

/// <summary>TaskFlow's <c>verify(spec, **kwargs)</c>.</summary>
public sealed class Verify : FlowTask
{
    public bool Execute(IReadOnlyDictionary<string, object?> spec, [RequiredValues] IReadOnlyDictionary<string, object?> kwargs)
    {
        foreach (var (key, value) in kwargs)
        {
            if (!Equals(spec[key], value))
            {
                throw new InvalidOperationException("Car doesn't match spec!");
            }
        }

        return true;
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "build_a_car";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow
        .AddTask<Startup>()
        .AddTask<Verify>()
        .AddTask("build_frame", () => "steel")
        .AddTask("build_engine", () => "honda")
        .AddTask("build_doors", () => "2")
        .AddTask("build_wheels", () => "4")
        .AddTask("install_engine", (string frame, string engine) => true)
        .AddTask("install_doors", (string frame, bool windows_installed, string doors) => true)
        .AddTask("install_windows", (string frame, string doors) => true)
        .AddTask("install_wheels", (string frame, string engine, bool engine_installed, string wheels) => true);

    private static FlowDefinition MakeAuto() => Flow.Linear("make-auto")
        .Add<Startup>(provides: "ran")
        .Add(Flow.Graph("install-parts")
            .Add("build_frame", provides: "frame")
            .Add("build_engine", provides: "engine")
            .Add("build_doors", provides: "doors")
            .Add("build_wheels", provides: "wheels")
            .Add("install_engine", provides: "engine_installed")
            .Add("install_doors", provides: "doors_installed")
            .Add("install_windows", provides: "windows_installed")
            .Add("install_wheels", provides: "wheels_installed"))
        .Add<Verify>(requires: new[] { "frame", "engine", "doors", "wheels", "engine_installed", "doors_installed", "windows_installed", "wheels_installed" })
        .Build(new FlowEngineOptions { MaxConcurrency = 1 });

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        console.OnChange = change =>
        {
            if (change.Event.FlowState is { } flowState)
            {
                console.WriteLine($"Flow => {StateNames.Of(flowState)}");
            }
            else if (change.Event.AtomState is { } atomState)
            {
                console.WriteLine($"Task {change.Event.Name} => {StateNames.Of(atomState)}");
            }
        };
        try
        {
            var spec = new Dictionary<string, object?>
            {
                ["frame"] = "steel", ["engine"] = "honda", ["doors"] = "2", ["wheels"] = "4",
                ["engine_installed"] = true, ["doors_installed"] = true, ["windows_installed"] = true, ["wheels_installed"] = true,
            };
            Py.PrintWrapped(console, "Building a car");
            await host.Client.RunAsync(MakeAuto(), new FlowInputs { ["spec"] = new Dictionary<string, object?>(spec) });

            spec["doors"] = 5;
            Py.PrintWrapped(console, "Building a wrong car that doesn't match specification");
            try
            {
                await host.Client.RunAsync(MakeAuto(), new FlowInputs { ["spec"] = new Dictionary<string, object?>(spec) });
            }
            catch (FlowFailedException e)
            {
                Py.PrintWrapped(console, $"Flow failed: {e.Failures.Values.First().Message}");
            }
        }
        finally
        {
            console.OnChange = null;
        }
    }
}
