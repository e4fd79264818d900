using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

// Grain-state records shaped like the ones flow runs persisted before runs moved to their logbooks (taskflow_runs and
// taskflow_atoms): object-typed results, failures with causes, byte and tick arrays, an immutable setup. The grain storage
// provider is still registered for hosts' own grains, and these keep its conformance suite exacting.

[GenerateSerializer]
[Alias("taskflow.tests.FlowDefinitionState")]
public sealed class FlowDefinitionState
{
    [Id(0)] public FlowDefinition? Definition { get; set; }
    [Id(1)] public string? FactoryName { get; set; }
    [Id(2)] public string[] InputNames { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}

[GenerateSerializer]
[Alias("taskflow.tests.FlowGrainState")]
public sealed class FlowGrainState
{
    [Id(0)] public FlowState FlowState { get; set; }
    [Id(1)] public byte[] NodeStates { get; set; } = [];
    [Id(2)] public byte[] Intentions { get; set; } = [];
    [Id(3)] public int[] Attempts { get; set; } = [];
    [Id(4)] public bool Reverting { get; set; }
    [Id(5)] public bool RevertFailed { get; set; }
    [Id(6)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(7)] public long[] StartedAt { get; set; } = [];
    [Id(8)] public long[] FinishedAtoms { get; set; } = [];
    [Id(9)] public string?[] RanOn { get; set; } = [];
    [Id(10)] public Failure? FlowFailure { get; set; }
    [Id(11)] public long EventSequence { get; set; }
}

[GenerateSerializer]
[Alias("taskflow.tests.StorageSetupState")]
internal sealed class StorageSetupState
{
    [Id(0)] public StorageSetup? Setup { get; set; }
}

[GenerateSerializer]
[Alias("taskflow.tests.StorageResultsPage")]
public sealed class StorageResultsPage
{
    [Id(0)] public Dictionary<int, object?> Results { get; set; } = [];
    [Id(1)] public Dictionary<int, Failure> Failures { get; set; } = [];
    [Id(2)] public Dictionary<int, Failure> RevertFailures { get; set; } = [];
}
