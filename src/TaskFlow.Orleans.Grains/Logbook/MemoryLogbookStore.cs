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
}
