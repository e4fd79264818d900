using System.Collections.Immutable;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>Events after a given sequence number, for watching a flow as it runs.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowEventBatch")]
public sealed record FlowEventBatch
{
    /// <summary>The events, in order.</summary>
    [Id(0)] public ImmutableArray<FlowEvent> Events { get; init; } = [];

    /// <summary>Whether older events were dropped from the bounded buffer before they could be read (the snapshot still has every state).</summary>
    [Id(1)] public bool MissedEvents { get; init; }

    /// <summary>The flow's status after these events.</summary>
    [Id(2)] public required FlowStatus Status { get; init; }
}
