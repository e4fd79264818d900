using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>The four records a flow run persists, filled as a real run of a small flow would fill them.</summary>
public static class SampleStates
{
    public static readonly DateTimeOffset Started = new(2026, 11, 26, 8, 30, 0, TimeSpan.Zero);

    public static readonly SampleRecord Record = new("vm-7", 3, Started.AddMinutes(2));

    public static FlowDefinitionState Definition() => new()
    {
        Definition = Flow.Linear("boot-server")
            .Add("compute.allocate-ip", "allocate-ip", provides: "ip")
            .Add(Flow.Unordered("volumes")
                .Add("storage.create-volume", "root-volume", provides: "root", inject: ("sizeGb", 20))
                .Add("storage.create-volume", "data-volume", provides: "data", inject: ("sizeGb", 200L)))
            .Add("compute.boot-vm", "boot-vm", provides: "vm", rebind: ("image", "golden-image"))
            .Build(),
        FactoryName = "boot-server",
        InputNames = ["network", "golden-image"],
        CreatedAt = Started,
    };

    public static FlowGrainState Progress() => new()
    {
        FlowState = FlowState.Running,
        NodeStates = [(byte)AtomState.Success, (byte)AtomState.Success, (byte)AtomState.Failure, (byte)AtomState.Reverting, (byte)AtomState.Pending],
        Intentions = [(byte)Intention.Revert, (byte)Intention.Revert, (byte)Intention.Revert, (byte)Intention.Execute, (byte)Intention.Ignore],
        Attempts = [1, 1, 3, 1, 0],
        Reverting = true,
        RevertFailed = false,
        FinishedAt = null,
        StartedAt = [Started.UtcTicks, Started.AddSeconds(1).UtcTicks, Started.AddSeconds(2).UtcTicks, 0],
        FinishedAtoms = [Started.AddSeconds(1).UtcTicks, Started.AddSeconds(2).UtcTicks, Started.AddSeconds(9).UtcTicks, 0],
        RanOn = ["S127.0.0.1:11111:1", "S127.0.0.1:11112:1", null, null],
        FlowFailure = Failure.Create("TaskFlow.Orleans.TaskNotRegisteredException", "Task 'compute.boot-vm' is not registered"),
        EventSequence = 17,
    };

    internal static StorageSetupState Setup() => new()
    {
        Setup = new StorageSetup
        {
            Inputs = ImmutableDictionary<string, object?>.Empty
                .Add("network", "tenant-a")
                .Add("golden-image", "debian-13")
                .Add("retries", 3)
                .Add("quota", 5_000_000_000L)
                .Add("owner", Record)
                .Add("note", null),
            Atoms =
            [
                new AtomSetup { Id = 0, Name = "allocate-ip", Provides = ["ip"], Arguments = [new ArgumentBinding("network", ArgumentSourceKind.Input, "network")] },
                new AtomSetup
                {
                    Id = 1, Name = "root-volume", Provides = ["root"],
                    Injected = ImmutableDictionary<string, object?>.Empty.Add("sizeGb", 20),
                    Arguments = [new ArgumentBinding("sizeGb", ArgumentSourceKind.Injected, "sizeGb")],
                },
                new AtomSetup
                {
                    Id = 2, Name = "boot-vm", Provides = ["vm"],
                    Arguments =
                    [
                        new ArgumentBinding("ip", ArgumentSourceKind.Result, "ip", ProviderAtomId: 0, ProvidesIndex: -1),
                        new ArgumentBinding("image", ArgumentSourceKind.Input, "golden-image"),
                    ],
                },
            ],
        },
    };

    public static StorageResultsPage Results()
    {
        var cause = Failure.Create("System.Net.Sockets.SocketException", "Connection refused");
        var failure = new Failure
        {
            ExceptionTypeNames = ["System.InvalidOperationException", "System.SystemException", "System.Exception"],
            Message = "Image 'debian-13' is not in the catalog",
            StackTrace = "   at BootVm.ExecuteAsync(String image)\n   at TaskExecutor.RunAsync()",
            Cause = cause with { Cause = Failure.Create("System.TimeoutException", "No answer in 5 s") },
        };
        return new StorageResultsPage
        {
            Results = new Dictionary<int, object?>
            {
                [0] = 42,
                [1] = 5_000_000_000L,
                [2] = "10.8.0.3",
                [3] = Record,
                [4] = null,
                [5] = 2.5,
                [6] = new[] { "a", "b" },
            },
            Failures = new Dictionary<int, Failure> { [2] = failure },
            RevertFailures = new Dictionary<int, Failure> { [1] = Failure.Create("System.IO.IOException", "Volume busy") },
        };
    }
}
