using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>A query of the run index as a store answers it (see <see cref="ILogbookStore.QueryAsync"/>).</summary>
public sealed record RunIndexQuery
{
    /// <summary>Only runs in one of these states; empty for any.</summary>
    public IReadOnlyList<FlowState> States { get; init; } = [];

    /// <summary>Only runs whose flow name or factory name is this.</summary>
    public string? Name { get; init; }

    /// <summary>Only runs with this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only runs created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only runs whose id starts with this (compared as plain text: no wildcards).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only runs after this key in the order: created_at descending, then run id descending.</summary>
    public FlowPageCursor? After { get; init; }

    /// <summary>How many runs to return at most.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>One run in a store's answer to a <see cref="RunIndexQuery"/>: its id and run row (the payload is left empty).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Run">Its index columns.</param>
public sealed record RunIndexEntry(string RunId, RunRow Run);

/// <summary>A store's answer to a <see cref="RunIndexQuery"/>.</summary>
/// <param name="Entries">The runs, in order (newest first).</param>
/// <param name="Total">How many runs match the filters, ignoring <see cref="RunIndexQuery.After"/> and the limit.</param>
public sealed record RunIndexResult(IReadOnlyList<RunIndexEntry> Entries, long Total);
