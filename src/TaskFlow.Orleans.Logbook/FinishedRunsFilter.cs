using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>Which finished runs a bulk delete or count of a store takes (see <see cref="ILogbookStore.DeleteFinishedAsync"/>):
/// runs in one of <see cref="States"/> whose finish time is before <see cref="FinishedBefore"/>.</summary>
/// <remarks>Only finished states are allowed (SUCCESS, FAILURE, REVERTED): a SUSPENDED run can be resumed, so neither
/// retention nor a bulk purge ever deletes one.</remarks>
public sealed record FinishedRunsFilter
{
    private static readonly FlowState[] AllFinished = [FlowState.Success, FlowState.Failure, FlowState.Reverted];

    /// <summary>Only runs that finished strictly before this time (compared to the microsecond, as stores keep it).</summary>
    public required DateTimeOffset FinishedBefore { get; init; }

    /// <summary>Only runs in one of these finished states; empty for all three.</summary>
    public IReadOnlyList<FlowState> States { get; init; } = [];

    /// <summary>The states to match: <see cref="States"/>, or all finished states when it is empty.</summary>
    /// <exception cref="ArgumentException">A state is not a finished state.</exception>
    public IReadOnlyList<FlowState> FinishedStates()
    {
        if (States.Count == 0)
        {
            return AllFinished;
        }

        foreach (var state in States)
        {
            if (!FlowNotFinishedException.IsFinished(state))
            {
                throw new ArgumentException(
                    $"Only finished runs can be deleted in bulk, and {StateNames.Of(state)} is not a finished state: use " +
                    "SUCCESS, FAILURE or REVERTED (a SUSPENDED run can be resumed; cancel it first).", nameof(States));
            }
        }

        return [.. States.Distinct()];
    }
}

/// <summary>What one bulk delete of finished runs removed (see <see cref="ILogbookStore.DeleteFinishedAsync"/>).</summary>
/// <param name="RunIds">The runs deleted (run row, which is the index entry, and every atom row of each).</param>
/// <param name="OldestFinishedAt">The earliest finish time among them, or <see langword="null"/> when none was deleted.</param>
public sealed record FinishedRunsDeleted(IReadOnlyList<string> RunIds, DateTimeOffset? OldestFinishedAt);

/// <summary>How many finished runs a filter matches (see <see cref="ILogbookStore.CountFinishedAsync"/>).</summary>
/// <param name="Count">How many runs match.</param>
/// <param name="OldestFinishedAt">The earliest finish time among them, or <see langword="null"/> when none matches.</param>
public sealed record FinishedRunsTally(long Count, DateTimeOffset? OldestFinishedAt);
