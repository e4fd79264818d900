using System.Security.Cryptography;
using System.Text;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.ResumeVolumeCreate;

// taskflow/examples/resume_volume_create.py: a slow flow you are meant to kill (Ctrl-C) and run again with the tracking id it
// printed; the new run carries on from what was stored, and what had finished does not run again. TaskFlow keeps a logbook
// and flow detail in its backend; here the silo's SQLite store keeps the run, and the tracking id is the run's id. The
// original makes 1 to 10 volumes and pauses 0.5 s; this makes 1 to 3 and pauses 0.3 s, or TASKFLOW_EXAMPLES_PAUSE seconds
// (its test pauses long, so that the kill lands mid-run however slow the machine).

/// <summary>Prints a text between rules, slowly unless told not to.</summary>
public sealed class PrintText(ExampleConsole console) : FlowTask
{
    public async Task Execute(string text, bool noSlow, CancellationToken cancellationToken)
    {
        Py.PrintWrapped(console, text);
        if (!noSlow)
        {
            await Example.SlowDownAsync(console, cancellationToken);
        }
    }
}

/// <summary>Makes the specs of a few volumes.</summary>
public sealed class CreateSpecForVolumes : FlowTask
{
    public List<Dictionary<string, object?>> Execute() =>
        [.. Enumerable.Range(0, Random.Shared.Next(1, 4)).Select(i => new Dictionary<string, object?> { ["type"] = "disk", ["location"] = $"/dev/vda{i + 1}" })];
}

/// <summary>Prepares each volume, slowly.</summary>
public sealed class PrepareVolumes(ExampleConsole console) : FlowTask
{
    public async Task Execute(List<Dictionary<string, object?>> volume_specs, CancellationToken cancellationToken)
    {
        foreach (var v in volume_specs)
        {
            console.WriteLine($"Dusting off your hard drive {Py.Repr(v)}");
            await Example.SlowDownAsync(console, cancellationToken);
            console.WriteLine("Taking a well deserved break.");
            await Example.SlowDownAsync(console, cancellationToken);
            console.WriteLine($"Your drive {Py.Repr(v)} has been certified.");
        }
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "resume_volume_create";

    public bool NeedsStore => true;

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<PrintText>().AddTask<CreateSpecForVolumes>().AddTask<PrepareVolumes>();

    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("TASKFLOW_EXAMPLES_PAUSE"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 0.3);

    /// <summary>TaskFlow's <c>slow_down</c>.</summary>
    internal static async Task SlowDownAsync(ExampleConsole console, CancellationToken cancellationToken)
    {
        console.WriteLine("** Ctrl-c me please!!! **");
        await Task.Delay(Pause, cancellationToken);
    }

    /// <summary>TaskFlow names each PrintText "Print: " and the first 8 hex digits of its text's MD5.</summary>
    private static FlowBuilder Print(FlowBuilder flow, string text, bool noSlow = false) =>
        flow.Add<PrintText>($"Print: {Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)))[..8]}",
            inject: Inject.Create([("text", text), ("noSlow", noSlow)]));

    private static FlowDefinition MakeFlow()
    {
        var root = Flow.Linear("root");
        Print(root, "Starting volume create", noSlow: true);
        var maker = Flow.Graph("maker").Add<CreateSpecForVolumes>("volume_specs", provides: "volume_specs");
        Print(maker, "I need a nap, it took me a while to build those specs.");
        root.Add(maker.Add<PrepareVolumes>());
        Print(root, "Finished volume create", noSlow: true);
        return root.Build();
    }

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        FlowHandle handle;
        if (host.Arguments is [var trackingId, ..])
        {
            // The stored run carries on where it was when its process died; what had finished is not run again.
            handle = host.Client.GetFlowHandle(trackingId);
            await handle.ResumeAsync();
        }
        else
        {
            var flowId = $"resume-volume-create-{Guid.NewGuid():N}";
            console.WriteLine($"!! Your tracking id is: '{flowId}'");
            console.WriteLine("!! Please submit this on later runs for tracking purposes");
            handle = await host.Client.StartAsync(MakeFlow(), options: new StartFlowOptions { FlowId = flowId });
        }

        await handle.GetResultAsync();
    }
}
