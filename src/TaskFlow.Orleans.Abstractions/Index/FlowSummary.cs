using System.Collections.Immutable;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Index;

/// <summary>One run as the run index lists it, read from the index without activating the run.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowSummary")]
public sealed record FlowSummary
{
    /// <summary>The run's id.</summary>
    [Id(0)] public required string FlowId { get; init; }

    /// <summary>The flow's name.</summary>
    [Id(1)] public required string FlowName { get; init; }

    /// <summary>The flow factory it was started from, if any.</summary>
    [Id(2)] public string? FactoryName { get; init; }

    /// <summary>The run's state, as last recorded.</summary>
    [Id(3)] public required FlowState State { get; init; }

    /// <summary>When the run was created.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the run last changed.</summary>
    [Id(5)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the run finished, if it did.</summary>
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How many of its atoms are in each state (states with none are left out).</summary>
    [Id(7)] public ImmutableDictionary<AtomState, int> AtomCounts { get; init; } = ImmutableDictionary<AtomState, int>.Empty;

    /// <summary>Why it failed, in one line, if it did.</summary>
    [Id(8)] public string? FailureSummary { get; init; }

    /// <summary>Its tags.</summary>
    [Id(9)] public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>The silo that runs (or last ran) it.</summary>
    [Id(10)] public string? Silo { get; init; }
}
