using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>A run's row: the columns the run index is queried by, and the run record as an opaque payload.</summary>
public sealed record RunRow
{
    /// <summary>The flow's name (its definition's name).</summary>
    public required string FlowName { get; init; }

    /// <summary>The flow factory it was started from, if any.</summary>
    public string? FactoryName { get; init; }

    /// <summary>The flow's state.</summary>
    public required FlowState State { get; init; }

    /// <summary>When the run was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the run last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the run reached a terminal state, if it did.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The silo that runs (or last ran) it.</summary>
    public string? Silo { get; init; }

    /// <summary>A one-line summary of why it failed, if it did.</summary>
    public string? FailureSummary { get; init; }

    /// <summary>The run's tags, if any.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How many atoms are in each <see cref="AtomState"/>, indexed by the state's value.</summary>
    public required int[] AtomCounts { get; init; }

    /// <summary>The serialized run record.</summary>
    public required byte[] Payload { get; init; }
}
