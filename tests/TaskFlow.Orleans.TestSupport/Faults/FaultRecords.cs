using System.Collections.Immutable;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Testing.Faults;

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
