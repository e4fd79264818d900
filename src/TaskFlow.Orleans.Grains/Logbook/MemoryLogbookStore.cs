using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Logbooks in the silo's memory: for tests and benchmarks. Lost when the process ends.</summary>
/// <remarks>Keeps the store contract exactly (versions, conflicts, idempotent retries, one batch at a time), so the grains
/// behave on it as on a database. Payloads are copied in and out, as a database would.</remarks>
public sealed class MemoryLogbookStore : ILogbookStore
{
    private readonly Dictionary<string, Entry> _runs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class Entry
    {
        public long Version;
        public Guid LastWriteId;
        public required byte[] Header;
        public required RunRow Run;
        public readonly SortedDictionary<int, AtomRow> Atoms = [];
    }

    /// <summary>How many runs are stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runs.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        var statuses = new LogbookWriteStatus[batch.Count];
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                statuses[i] = Write(batch[i]);
            }
        }

        return Task.FromResult(statuses);
    }

    private LogbookWriteStatus Write(LogbookWrite write)
    {
        _runs.TryGetValue(write.RunId, out var entry);
        if (entry is not null && entry.Version == write.NewVersion && entry.LastWriteId == write.WriteId)
        {
            return LogbookWriteStatus.Committed; // a retry of a write that already committed
        }

        var current = entry?.Version ?? 0;
        if (current != write.ExpectedVersion || (entry is null && write.Header is null))
        {
            return LogbookWriteStatus.Conflict;
        }

        entry ??= _runs[write.RunId] = new Entry { Header = [.. write.Header!], Run = write.Run };
        entry.Version = write.NewVersion;
        entry.LastWriteId = write.WriteId;
        entry.Run = write.Run with { Payload = [.. write.Run.Payload], AtomCounts = [.. write.Run.AtomCounts] };
        foreach (var atom in write.Atoms)
        {
            entry.Atoms[atom.AtomId] = atom with { Payload = [.. atom.Payload] };
        }

        return LogbookWriteStatus.Committed;
    }

    /// <inheritdoc />
    public Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var entry))
            {
                return Task.FromResult<StoredLogbook?>(null);
            }

            return Task.FromResult<StoredLogbook?>(new StoredLogbook
            {
                RunId = runId,
                Version = entry.Version,
                Header = [.. entry.Header],
                Run = entry.Run with { Payload = [.. entry.Run.Payload], AtomCounts = [.. entry.Run.AtomCounts] },
                Atoms = [.. entry.Atoms.Values.Select(a => a with { Payload = [.. a.Payload] })],
            });
        }
    }

    /// <inheritdoc />
    public Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var entry))
            {
                return Task.FromResult(LogbookDeleteResult.NotFound);
            }

            if (!FlowNotFinishedException.IsFinished(entry.Run.State))
            {
                return Task.FromResult(LogbookDeleteResult.NotFinished(entry.Run.State));
            }

            _runs.Remove(runId);
            return Task.FromResult(LogbookDeleteResult.Deleted);
        }
    }

    /// <inheritdoc />
    public Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var states = filter.FinishedStates();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var doomed = FinishedMatches(filter, states).OrderBy(p => p.Value.Run.FinishedAt).Take(limit).ToList();
            foreach (var (runId, _) in doomed)
            {
                _runs.Remove(runId);
            }

            return Task.FromResult(new FinishedRunsDeleted([.. doomed.Select(p => p.Key)], doomed.Count == 0 ? null : doomed[0].Value.Run.FinishedAt));
        }
    }

    /// <inheritdoc />
    public Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var states = filter.FinishedStates();
        lock (_lock)
        {
            var matching = FinishedMatches(filter, states).ToList();
            return Task.FromResult(new FinishedRunsTally(matching.Count, matching.Count == 0 ? null : matching.Min(p => p.Value.Run.FinishedAt)));
        }
    }

    private IEnumerable<KeyValuePair<string, Entry>> FinishedMatches(FinishedRunsFilter filter, IReadOnlyList<States.FlowState> states)
    {
        return _runs.Where(p => states.Contains(p.Value.Run.State)
                                && p.Value.Run.FinishedAt is { } finished
                                && finished < filter.FinishedBefore);
    }

    /// <inheritdoc />
    public Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            var matching = _runs.Where(p => Matches(p.Key, p.Value.Run, query)).ToList();
            var page = matching
                .Where(p => query.After is not { } after || IsAfter(p.Value.Run.CreatedAt, p.Key, after))
                .OrderByDescending(p => p.Value.Run.CreatedAt.UtcTicks).ThenByDescending(p => p.Key, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(p => new RunIndexEntry(p.Key, p.Value.Run with { Payload = [], AtomCounts = [.. p.Value.Run.AtomCounts] }))
                .ToList();
            return Task.FromResult(new RunIndexResult(page, matching.Count));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<States.FlowState, long> counts = _runs.Values.GroupBy(e => e.Run.State).ToDictionary(g => g.Key, g => (long)g.Count());
            return Task.FromResult(counts);
        }
    }

    private static bool Matches(string runId, RunRow run, RunIndexQuery query) =>
        (query.States.Count == 0 || query.States.Contains(run.State))
        && (query.Name is null || run.FlowName == query.Name || run.FactoryName == query.Name)
        && (query.Tag is null || run.Tags.Contains(query.Tag, StringComparer.Ordinal))
        && (query.CreatedFrom is not { } from || run.CreatedAt >= from)
        && (query.CreatedBefore is not { } before || run.CreatedAt < before)
        && (query.IdPrefix is null || runId.StartsWith(query.IdPrefix, StringComparison.Ordinal));

    /// <summary>Whether a run comes after the cursor in the index order (created time descending, then id descending).</summary>
    private static bool IsAfter(DateTimeOffset createdAt, string runId, TaskFlow.Orleans.Index.FlowPageCursor after) =>
        createdAt.UtcTicks < after.CreatedAt.UtcTicks
        || (createdAt.UtcTicks == after.CreatedAt.UtcTicks && string.CompareOrdinal(runId, after.RunId) < 0);
}
