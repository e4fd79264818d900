using System.Collections.Immutable;
using TaskFlow.Orleans.Grains.Logbook;
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

/// <summary>What became of one transaction (one call of <see cref="ILogbookStore.WriteAsync"/>).</summary>
public enum TransactionOutcome
{
    /// <summary>Stored, and the caller was told.</summary>
    Committed,

    /// <summary>Nothing stored; the caller got an exception.</summary>
    Failed,

    /// <summary>Stored, but the caller got an exception (an unknown outcome).</summary>
    CommittedThenThrew,
}

/// <summary>One transaction as the fault-injecting store saw it.</summary>
public sealed record TransactionRecord
{
    /// <summary>Numbered in the order transactions ended.</summary>
    public required long Number { get; init; }

    /// <summary>When the call arrived.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it committed or failed (taken after the commit, so an execute journaled after this time ran after the
    /// data was stored).</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The runs' writes it held.</summary>
    public required ImmutableArray<LogbookWrite> Writes { get; init; }

    /// <summary>What became of it.</summary>
    public required TransactionOutcome Outcome { get; init; }

    /// <summary>The store's status per write, when it reached the store (empty when it failed before).</summary>
    public ImmutableArray<LogbookWriteStatus> Statuses { get; init; } = [];

    /// <summary>The runs it held.</summary>
    public ImmutableArray<string> RunIds => [.. Writes.Select(w => w.RunId)];

    /// <summary>Whether it held a write of <paramref name="runId"/>.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>Whether it did.</returns>
    public bool Holds(string runId) => Writes.Any(w => w.RunId == runId);

    /// <summary>The write of <paramref name="runId"/> it held, if any.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>The write.</returns>
    public LogbookWrite? WriteOf(string runId) => Writes.FirstOrDefault(w => w.RunId == runId);

    /// <summary>Whether the data of <paramref name="runId"/>'s write is in the store after this transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>Whether it was stored.</returns>
    public bool Stored(string runId) => Outcome != TransactionOutcome.Failed && StatusOf(runId) == LogbookWriteStatus.Committed;

    /// <summary>The store's status of <paramref name="runId"/>'s write, if it reached the store.</summary>
    /// <param name="runId">The run.</param>
    /// <returns>The status.</returns>
    public LogbookWriteStatus? StatusOf(string runId)
    {
        for (var i = 0; i < Writes.Length && i < Statuses.Length; i++)
        {
            if (Writes[i].RunId == runId)
            {
                return Statuses[i];
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Number} {Outcome} [{string.Join(", ", Writes.Select(w => $"{w.RunId}@{w.ExpectedVersion}:{w.Run.State}{{{string.Join(",", w.Atoms.Select(a => $"{a.AtomId}={a.State}"))}}}"))}]";
}

/// <summary>Counters of one run's writes.</summary>
/// <param name="Writes">Transactions that held a write of the run.</param>
/// <param name="Committed">Those that stored it and said so.</param>
/// <param name="Conflicts">Those whose write of the run was refused (wrong version).</param>
/// <param name="Failed">Those that failed (nothing stored).</param>
/// <param name="CommittedThenThrew">Those that stored it and threw.</param>
/// <param name="SharedTransactions">Those that also held other runs' writes.</param>
public readonly record struct WriteCounters(int Writes, int Committed, int Conflicts, int Failed, int CommittedThenThrew, int SharedTransactions);

/// <summary>A gate that holds transactions in the store until the test opens it (see <see cref="FaultInjectingLogbookStore"/>).</summary>
public sealed class WriteStall
{
    private readonly Func<IReadOnlyList<LogbookWrite>, bool> _when;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IReadOnlyList<LogbookWrite>> _caught = [];
    private int _left;
    private int _holding;

    internal WriteStall(Func<IReadOnlyList<LogbookWrite>, bool> when, int count)
    {
        _when = when;
        _left = count;
    }

    /// <summary>Completes when a transaction is caught (held at the gate).</summary>
    public Task Entered => _entered.Task;

    /// <summary>Completes when the gate opened (or was abandoned) and every caught transaction has finished in the store.</summary>
    public Task Released => _released.Task;

    /// <summary>The batches caught so far.</summary>
    public IReadOnlyList<IReadOnlyList<LogbookWrite>> Caught
    {
        get
        {
            lock (_caught)
            {
                return [.. _caught];
            }
        }
    }

    /// <summary>How many transactions are held now.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>Lets the held transactions (and later ones) carry on into the store.</summary>
    public void Open() => _gate.TrySetResult(false);

    /// <summary>Fails the held transactions without storing anything (their process died before they committed); later
    /// ones pass.</summary>
    public void Abandon() => _gate.TrySetResult(true);

    /// <summary>Called under the store's lock.</summary>
    internal bool TryCatch(IReadOnlyList<LogbookWrite> batch)
    {
        if (_gate.Task.IsCompleted || _left <= 0 || !_when(batch))
        {
            return false;
        }

        _left--;
        Interlocked.Increment(ref _holding);
        lock (_caught)
        {
            _caught.Add(batch);
        }

        return true;
    }

    /// <summary>Waits at the gate; returns whether the transaction was abandoned.</summary>
    internal async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        try
        {
            return await _gate.Task.WaitAsync(FaultInjectingLogbookStore.MaxStall, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    internal void OnReleased()
    {
        if (Interlocked.Decrement(ref _holding) == 0 && _gate.Task.IsCompleted)
        {
            _released.TrySetResult();
        }
    }
}
