using System.Collections.Immutable;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Testing.Faults;

/// <summary>
/// An <see cref="ILogbookStore"/> over a <see cref="MemoryLogbookStore"/> that fails, stalls or half-commits writes on
/// command, keyed by run id, so a test can put a fault at any point of the save protocol. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Each call of <see cref="WriteAsync"/> is one transaction (a batch of runs' writes). A fault on one run of a batch
/// fails the whole batch, as a real transaction would. Order within a call: stalls first (the call waits at its gate), then
/// "database down", then "fail before storing", then the commit, then "commit then throw".</para>
/// <para>Every call is recorded (<see cref="Transactions"/>) with its runs, outcome and time, so a test can check what was
/// stored when, and which transactions held several runs.</para>
/// </remarks>
public sealed class FaultInjectingLogbookStore : ILogbookStore
{
    /// <summary>The longest a stalled write waits for its gate before it fails (so nothing hangs).</summary>
    public static readonly TimeSpan MaxStall = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _failNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _commitThenThrow = new(StringComparer.Ordinal);
    private readonly List<WriteStall> _stalls = [];
    private readonly HashSet<string> _deadSilos = new(StringComparer.Ordinal);
    private readonly List<TransactionRecord> _transactions = [];
    private bool _down;
    private bool _readsFailWhileDown;
    private long _number;
    private int _failedReads;

    /// <summary>Creates the store over a new memory store.</summary>
    public FaultInjectingLogbookStore() : this(new MemoryLogbookStore())
    {
    }

    /// <summary>Creates the store over <paramref name="inner"/>.</summary>
    /// <param name="inner">Where writes that are let through are stored.</param>
    public FaultInjectingLogbookStore(MemoryLogbookStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The store behind the faults (write to it directly to bypass them).</summary>
    public MemoryLogbookStore Inner { get; }

    /// <summary>Whether the database is "down" (<see cref="GoDown"/>).</summary>
    public bool IsDown
    {
        get
        {
            lock (_lock)
            {
                return _down;
            }
        }
    }

    /// <summary>How many reads failed because the database was down.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    /// <summary>Every transaction (write call) so far, in the order they ended.</summary>
    public IReadOnlyList<TransactionRecord> Transactions
    {
        get
        {
            lock (_lock)
            {
                return [.. _transactions];
            }
        }
    }

    /// <summary>The transactions that held a write of <paramref name="runId"/>.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>The transactions, in the order they ended.</returns>
    public IReadOnlyList<TransactionRecord> TransactionsOf(string runId) => [.. Transactions.Where(t => t.Holds(runId))];

    /// <summary>Counters of one run's writes.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>The counters.</returns>
    public WriteCounters CountersOf(string runId)
    {
        var mine = TransactionsOf(runId);
        return new WriteCounters(
            Writes: mine.Count,
            Committed: mine.Count(t => t.Outcome == TransactionOutcome.Committed && t.StatusOf(runId) == LogbookWriteStatus.Committed),
            Conflicts: mine.Count(t => t.Outcome != TransactionOutcome.Failed && t.StatusOf(runId) == LogbookWriteStatus.Conflict),
            Failed: mine.Count(t => t.Outcome == TransactionOutcome.Failed),
            CommittedThenThrew: mine.Count(t => t.Outcome == TransactionOutcome.CommittedThenThrew),
            SharedTransactions: mine.Count(t => t.RunIds.Length > 1));
    }

    /// <summary>Fails the next <paramref name="count"/> transactions that hold a write of <paramref name="runId"/>, before
    /// anything is stored (the whole batch fails).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="count">How many.</param>
    public void FailNextWrites(string runId, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _failNext[runId] = count;
        }
    }

    /// <summary>The next <paramref name="count"/> transactions that hold a write of <paramref name="runId"/> commit, then
    /// throw (an unknown outcome: the data is stored, the caller gets a <see cref="FlowStorageException"/>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="count">How many.</param>
    public void CommitThenThrowNextWrites(string runId, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _commitThenThrow[runId] = count;
        }
    }

    /// <summary>Stalls the next transaction that holds a write of <paramref name="runId"/> matching <paramref name="when"/>
    /// (any write of the run when <see langword="null"/>) until the returned stall is opened or abandoned.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="when">Which of the run's writes to stall.</param>
    /// <param name="count">How many transactions to stall before the stall stops catching (all are released together).</param>
    /// <returns>The stall: its gate and what it caught.</returns>
    public WriteStall StallNextWrite(string runId, Func<LogbookWrite, bool>? when = null, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var stall = new WriteStall(batch => batch.Any(w => w.RunId == runId && (when is null || when(w))), count);
        lock (_lock)
        {
            _stalls.Add(stall);
        }

        return stall;
    }

    /// <summary>Stalls the next transaction holding a write of <paramref name="runId"/> that records atom
    /// <paramref name="atomId"/> in <paramref name="state"/> (read from the atom row's state column).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="atomId">The atom's id in the run.</param>
    /// <param name="state">The state that write records.</param>
    /// <returns>The stall.</returns>
    public WriteStall StallNextWrite(string runId, int atomId, AtomState state) =>
        StallNextWrite(runId, write => Records(write, atomId, state));

    /// <summary>Stalls every transaction for which <paramref name="when"/> holds, whatever its runs, until the stall opens
    /// (at most <paramref name="count"/> transactions).</summary>
    /// <param name="when">Which batches to stall.</param>
    /// <param name="count">How many transactions to stall.</param>
    /// <returns>The stall.</returns>
    public WriteStall StallBatches(Func<IReadOnlyList<LogbookWrite>, bool> when, int count = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(when);
        var stall = new WriteStall(when, count);
        lock (_lock)
        {
            _stalls.Add(stall);
        }

        return stall;
    }

    /// <summary>The database goes down: every write fails (nothing stored), and reads too if <paramref name="failReads"/>.</summary>
    /// <param name="failReads">Whether reads fail too.</param>
    public void GoDown(bool failReads = true)
    {
        lock (_lock)
        {
            _down = true;
            _readsFailWhileDown = failReads;
        }
    }

    /// <summary>
    /// Refuses every write that arrives from now on from the silo <paramref name="siloIdentity"/> (the run record's silo), as
    /// if its process were gone. A test cluster's killed silo is not: its grains' continuations still run in this process,
    /// and an engine whose write failed as the silo died would retry it and commit, which a dead process never does.
    /// Writes already held by a <see cref="WriteStall"/> are not affected.
    /// </summary>
    /// <param name="siloIdentity">The killed silo's identity (<c>IGrainRuntime.SiloIdentity</c>).</param>
    public void RefuseWritesFrom(string siloIdentity)
    {
        lock (_lock)
        {
            _deadSilos.Add(siloIdentity);
        }
    }

    /// <summary>The database is back.</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _down = false;
        }
    }

    /// <summary>Whether a write records atom <paramref name="atomId"/> in <paramref name="state"/>.</summary>
    /// <param name="write">The write.</param>
    /// <param name="atomId">The atom.</param>
    /// <param name="state">The state.</param>
    /// <returns>Whether it does.</returns>
    public static bool Records(LogbookWrite write, int atomId, AtomState state)
    {
        ArgumentNullException.ThrowIfNull(write);
        return write.Atoms.Any(a => a.AtomId == atomId && a.State == state);
    }

    /// <inheritdoc />
    public async Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var runIds = batch.Select(w => w.RunId).ToImmutableArray();
        var started = DateTimeOffset.UtcNow;

        // Stalls: the call holds its batch (and so the committer's slot), as a slow transaction would.
        List<WriteStall> caught = [];
        bool fromDeadSilo;
        lock (_lock)
        {
            fromDeadSilo = batch.Any(write => write.Run.Silo is { } silo && _deadSilos.Contains(silo));
        }

        if (fromDeadSilo)
        {
            throw Fail(batch, started, "it was sent by a silo the test killed (a dead process writes nothing)");
        }

        lock (_lock)
        {
            foreach (var stall in _stalls)
            {
                if (stall.TryCatch(batch))
                {
                    caught.Add(stall);
                }
            }
        }

        var abandoned = false;
        foreach (var stall in caught)
        {
            abandoned |= await stall.HoldAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (abandoned)
            {
                throw Fail(batch, started, "the transaction was abandoned (its process died before it committed)");
            }

            bool down, failNow, throwAfter;
            lock (_lock)
            {
                down = _down;
                failNow = !down && Take(_failNext, runIds);
                throwAfter = !down && !failNow && Take(_commitThenThrow, runIds);
            }

            if (down)
            {
                throw Fail(batch, started, "the database is down");
            }

            if (failNow)
            {
                throw Fail(batch, started, "an injected failure before anything was stored");
            }

            var statuses = await Inner.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            Record(batch, started, throwAfter ? TransactionOutcome.CommittedThenThrew : TransactionOutcome.Committed, [.. statuses]);
            if (throwAfter)
            {
                throw new FlowStorageException(
                    $"Injected fault: the transaction of {batch.Count} run(s) ({string.Join(", ", runIds)}) committed, but the answer was lost.");
            }

            return statuses;
        }
        finally
        {
            foreach (var stall in caught)
            {
                stall.OnReleased();
            }
        }
    }

    /// <inheritdoc />
    public Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_down && _readsFailWhileDown)
            {
                Interlocked.Increment(ref _failedReads);
                throw new FlowStorageException($"Injected fault: the database is down (reading run '{runId}').");
            }
        }

        return Inner.ReadAsync(runId, cancellationToken);
    }

    /// <summary>Run-index queries pass through (faults are injected into writes and reads of logbooks).</summary>
    public Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default) =>
        Inner.QueryAsync(query, cancellationToken);

    /// <summary>Deletes fail while the database is down (as reads do); otherwise they pass through.</summary>
    public Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_down)
            {
                throw new FlowStorageException($"Injected fault: the database is down (purging run '{runId}').");
            }
        }

        return Inner.DeleteAsync(runId, cancellationToken);
    }

    /// <summary>Bulk deletes of finished runs pass through, or fail while the database is down.</summary>
    public Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_down)
            {
                throw new FlowStorageException("Injected fault: the database is down (deleting a batch of finished runs).");
            }
        }

        return Inner.DeleteFinishedAsync(filter, limit, cancellationToken);
    }

    /// <summary>Counts of finished runs pass through.</summary>
    public Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default) =>
        Inner.CountFinishedAsync(filter, cancellationToken);

    /// <summary>Counts pass through.</summary>
    public Task<IReadOnlyDictionary<TaskFlow.Orleans.States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default) =>
        Inner.CountByStateAsync(cancellationToken);

    private static bool Take(Dictionary<string, int> counts, ImmutableArray<string> runIds)
    {
        var hit = false;
        foreach (var runId in runIds)
        {
            if (counts.TryGetValue(runId, out var left) && left > 0)
            {
                counts[runId] = left - 1;
                hit = true;
            }
        }

        return hit;
    }

    private FlowStorageException Fail(IReadOnlyList<LogbookWrite> batch, DateTimeOffset started, string why)
    {
        Record(batch, started, TransactionOutcome.Failed, []);
        return new FlowStorageException(
            $"Injected fault: the transaction of {batch.Count} run(s) ({string.Join(", ", batch.Select(w => w.RunId))}) failed: {why}.");
    }

    private void Record(IReadOnlyList<LogbookWrite> batch, DateTimeOffset started, TransactionOutcome outcome, ImmutableArray<LogbookWriteStatus> statuses)
    {
        lock (_lock)
        {
            _transactions.Add(new TransactionRecord
            {
                Number = ++_number,
                StartedAt = started,
                EndedAt = DateTimeOffset.UtcNow,
                Writes = [.. batch],
                Outcome = outcome,
                Statuses = statuses,
            });
        }
    }
}
