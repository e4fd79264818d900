using System.Collections.Immutable;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Index;

/// <summary>Which finished runs to purge in bulk (<c>ITaskFlowClient.PurgeFinishedAsync</c>, <c>taskflow purge
/// --finished-before</c>): runs that ended in one of <see cref="States"/> before <see cref="FinishedBefore"/>.</summary>
/// <remarks>Only finished runs (SUCCESS, FAILURE, REVERTED) are ever purged: a SUSPENDED run can be resumed, so it is kept
/// (cancel it first to purge it). A purged run's logbook and its run-index entry are both deleted.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.PurgeQuery")]
public sealed record PurgeQuery
{
    /// <summary>The most runs one batch may delete.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>Only runs that finished before this time.</summary>
    [Id(0)] public required DateTimeOffset FinishedBefore { get; init; }

    /// <summary>Only runs in one of these finished states (SUCCESS, FAILURE, REVERTED); empty for all three.</summary>
    [Id(1)] public ImmutableArray<FlowState> States { get; init; } = [];

    /// <summary>Count what would be purged, and delete nothing.</summary>
    [Id(2)] public bool DryRun { get; init; }

    /// <summary>How many runs each batch deletes (each batch is one database statement; running flows get the store between
    /// batches).</summary>
    /// <value>Default 500; from 1 to <see cref="MaxBatchSize"/>.</value>
    [Id(3)] public int BatchSize { get; init; } = 500;

    /// <summary>Checks the query.</summary>
    /// <exception cref="ArgumentException">A state is not finished, or the batch size is out of range; the message says
    /// which and how to fix it.</exception>
    public void Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new ArgumentException($"The purge batch size is {BatchSize}; it must be from 1 to {MaxBatchSize}.", nameof(BatchSize));
        }

        foreach (var state in States.IsDefault ? [] : States)
        {
            if (!FlowNotFinishedException.IsFinished(state))
            {
                throw new ArgumentException(
                    $"Only finished runs can be purged, and {StateNames.Of(state)} is not a finished state: use SUCCESS, FAILURE " +
                    "or REVERTED (a SUSPENDED run can be resumed; cancel it first to purge it).", nameof(States));
            }
        }
    }
}
