using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>
/// Where run logbooks are kept: one run row (the run index columns, the run record and the header) and one row per atom,
/// per run. Implemented for memory (<c>MemoryLogbookStore</c>), SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// <para>Payloads are opaque bytes (the grains serialize them); a store keeps them exactly and never interprets them.</para>
/// <para><b>Contract of <see cref="WriteAsync"/></b>, which the cross-run group commit (<c>LogbookCommitter</c>)
/// relies on: the whole batch is one transaction; a write whose run is not at <see cref="LogbookWrite.ExpectedVersion"/>
/// stores nothing and is reported <see cref="LogbookWriteStatus.Conflict"/> without failing the others; a write that is
/// retried after an unknown outcome (same <see cref="LogbookWrite.WriteId"/>, already committed) is reported
/// <see cref="LogbookWriteStatus.Committed"/> again. An exception means the transaction failed as a whole.</para>
/// </remarks>
public interface ILogbookStore
{
    /// <summary>Writes a batch of runs' changes in one transaction.</summary>
    /// <param name="batch">At most one write per run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>One status per write, in the order given.</returns>
    /// <exception cref="FlowStorageException">The database failed; nothing of the batch may be assumed stored.</exception>
    Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default);

    /// <summary>Reads one run's logbook.</summary>
    /// <param name="runId">The run (flow id).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The logbook, or <see langword="null"/> when no such run is stored.</returns>
    /// <exception cref="FlowStorageException">The database failed.</exception>
    Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs from the run index (the index columns of the run rows), newest first: created time descending,
    /// then run id descending. Never reads payloads.</summary>
    /// <param name="query">Filters, the key to continue after, and the limit.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The runs and the total that match the filters.</returns>
    /// <exception cref="FlowStorageException">The database failed.</exception>
    Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished run (SUCCESS, FAILURE or REVERTED): its run row, which is also its run-index entry, and
    /// every atom row, in one transaction.</summary>
    /// <remarks>The delete is conditional on the stored state, in the same statement or transaction that deletes, so a run
    /// that is not finished when the delete runs is never deleted (no read-then-delete race). A later write of the deleted
    /// run at its old version conflicts (the run is absent), so a stale writer cannot re-create it; a new run may be created
    /// under the same id.</remarks>
    /// <param name="runId">The run (flow id).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>Deleted; not found; or not finished, with the run's state (nothing deleted).</returns>
    /// <exception cref="FlowStorageException">The database failed; nothing was deleted.</exception>
    Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Deletes, in one set-based operation (one statement per batch on a database), up to
    /// <paramref name="limit"/> finished runs that match <paramref name="filter"/>, oldest finish first: their run rows
    /// (the run-index entries) and every atom row of each, in one transaction.</summary>
    /// <remarks>As with <see cref="DeleteAsync"/>, the state and finish time are checked by the delete itself, so a run that is
    /// not finished (or was resumed meanwhile) is never deleted; a run another writer holds locked is skipped, not waited
    /// for. Deleting concurrently from two callers is safe: each run is deleted once.</remarks>
    /// <param name="filter">The finished states and the finish time the runs must be before.</param>
    /// <param name="limit">The most runs to delete (at least 1).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>The runs deleted and the earliest finish time among them.</returns>
    /// <exception cref="ArgumentException">A state of the filter is not finished, or the limit is below 1.</exception>
    /// <exception cref="FlowStorageException">The database failed; nothing of this batch was deleted.</exception>
    Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts the finished runs that match <paramref name="filter"/> (what <see cref="DeleteFinishedAsync"/> would
    /// delete, batch after batch), without deleting anything.</summary>
    /// <param name="filter">The finished states and the finish time the runs must be before.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>How many match and the earliest finish time among them.</returns>
    /// <exception cref="ArgumentException">A state of the filter is not finished.</exception>
    /// <exception cref="FlowStorageException">The database failed.</exception>
    Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Counts runs by state.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The count of each state that has runs.</returns>
    /// <exception cref="FlowStorageException">The database failed.</exception>
    Task<IReadOnlyDictionary<FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default);
}
