using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Logbook;

public sealed class LogbookCommitterTests
{
    /// <summary>A store whose transactions each wait for the test to end them; it records every batch it is given.</summary>
    private sealed class GatedStore : ILogbookStore
    {
        private readonly ConcurrentQueue<Transaction> _arrived = new();
        private readonly SemaphoreSlim _signal = new(0);
        private int _open;

        public List<Transaction> All { get; } = [];

        public int Count
        {
            get
            {
                lock (All)
                {
                    return All.Count;
                }
            }
        }

        public Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default)
        {
            var transaction = new Transaction([.. batch], Interlocked.Increment(ref _open) - 1, this);
            lock (All)
            {
                All.Add(transaction);
            }

            _arrived.Enqueue(transaction);
            _signal.Release();
            return transaction.Gate.Task;
        }

        public Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default) =>
            Task.FromResult<StoredLogbook?>(null);

        public Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult(new RunIndexResult([], 0));

        public Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default) =>
            Task.FromResult(LogbookDeleteResult.NotFound);

        public Task<IReadOnlyDictionary<TaskFlow.Orleans.States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<TaskFlow.Orleans.States.FlowState, long>>(new Dictionary<TaskFlow.Orleans.States.FlowState, long>());

        public Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult(new FinishedRunsDeleted([], null));

        public Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default) =>
            Task.FromResult(new FinishedRunsTally(0, null));

        /// <summary>The next transaction the committer starts.</summary>
        public async Task<Transaction> NextAsync()
        {
            await _signal.WaitAsync().Within();
            Assert.True(_arrived.TryDequeue(out var transaction));
            return transaction;
        }

        public void Closed() => Interlocked.Decrement(ref _open);
    }

    /// <summary>One transaction: its writes, how many others were open when it started, and its gate.</summary>
    private sealed record Transaction(List<LogbookWrite> Writes, int OthersOpen, GatedStore Store)
    {
        public TaskCompletionSource<LogbookWriteStatus[]> Gate { get; } = new();

        public IEnumerable<string> Labels => Writes.Select(w => $"{w.RunId}#{w.ExpectedVersion}");

        public void Commit(params LogbookWriteStatus[] statuses)
        {
            Store.Closed();
            Gate.SetResult(statuses.Length > 0 ? statuses : new LogbookWriteStatus[Writes.Count]);
        }

        public void Fail(Exception exception)
        {
            Store.Closed();
            Gate.SetException(exception);
        }
    }

    private static LogbookWrite Write(string runId, long expectedVersion = 0) => new()
    {
        RunId = runId,
        WriteId = Guid.NewGuid(),
        ExpectedVersion = expectedVersion,
        Header = expectedVersion == 0 ? [1, 2, 3] : null,
        Run = new RunRow
        {
            FlowName = "f",
            State = FlowState.Running,
            CreatedAt = LogbookTestKit.Epoch,
            UpdatedAt = LogbookTestKit.Epoch,
            AtomCounts = new int[9],
            Payload = [(byte)expectedVersion],
        },
    };

    private static LogbookCommitter Committer(ILogbookStore store, int maxBatchSize = 512, int maxConcurrentBatches = 1) =>
        new(store, new LogbookCommitterOptions { MaxBatchSize = maxBatchSize, MaxConcurrentBatches = maxConcurrentBatches },
            NullLogger<LogbookCommitter>.Instance);

    [Fact]
    public async Task CommitAsync_LoneWrite_CommitsInOwnTransactionAndIsStored()
    {
        var store = new MemoryLogbookStore();
        var committer = Committer(store);
        var write = Write("run-1");

        var status = await committer.CommitAsync(write).Within();

        Assert.Equal(LogbookWriteStatus.Committed, status);
        Assert.Equal(1, committer.Transactions);
        Assert.Equal(1, committer.Writes);
        Assert.Same(store, committer.Store);
        var stored = await store.ReadAsync("run-1");
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal([1, 2, 3], stored.Header);
    }

    [Fact]
    public async Task CommitAsync_WritesArriveWhileTransactionInFlight_GoIntoTheNextTransactionTogether()
    {
        var store = new GatedStore();
        var committer = Committer(store);
        var first = committer.CommitAsync(Write("a"));
        var t1 = await store.NextAsync();

        var waiting = new[] { committer.CommitAsync(Write("b")), committer.CommitAsync(Write("c")), committer.CommitAsync(Write("d")) };
        Assert.Equal(1, store.Count); // nothing starts while one transaction is in flight (one at a time by default)
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        t1.Commit();
        var t2 = await store.NextAsync();
        t2.Commit();

        Assert.Equal(["a#0"], t1.Labels);
        Assert.Equal(["b#0", "c#0", "d#0"], t2.Labels);
        Assert.Equal(LogbookWriteStatus.Committed, await first.Within());
        Assert.All(await Task.WhenAll(waiting).Within(), s => Assert.Equal(LogbookWriteStatus.Committed, s));
        Assert.Equal(2, committer.Transactions);
        Assert.Equal(4, committer.Writes);
    }

    [Fact]
    public async Task CommitAsync_MoreWaitingThanMaxBatchSize_SplitsIntoBatchesOldestFirst()
    {
        var store = new GatedStore();
        var committer = Committer(store, maxBatchSize: 2);
        var all = new List<Task<LogbookWriteStatus>> { committer.CommitAsync(Write("a")) };
        var t1 = await store.NextAsync();
        foreach (var run in new[] { "b", "c", "d", "e", "f" })
        {
            all.Add(committer.CommitAsync(Write(run)));
        }

        t1.Commit();
        var t2 = await store.NextAsync();
        t2.Commit();
        var t3 = await store.NextAsync();
        t3.Commit();
        var t4 = await store.NextAsync();
        t4.Commit();

        Assert.Equal(["b#0", "c#0"], t2.Labels);
        Assert.Equal(["d#0", "e#0"], t3.Labels);
        Assert.Equal(["f#0"], t4.Labels);
        await Task.WhenAll(all).Within();
        Assert.Equal(4, committer.Transactions);
        Assert.Equal(6, committer.Writes);
    }

    [Fact]
    public async Task CommitAsync_TwoWritesOfOneRun_NeverShareATransactionAndCommitInOrder()
    {
        var store = new GatedStore();
        var committer = Committer(store);
        var a0 = committer.CommitAsync(Write("a", 0));
        var t1 = await store.NextAsync();
        var a1 = committer.CommitAsync(Write("a", 1));
        var a2 = committer.CommitAsync(Write("a", 2));
        var b0 = committer.CommitAsync(Write("b", 0));

        t1.Commit();
        var t2 = await store.NextAsync();
        t2.Commit();
        var t3 = await store.NextAsync();
        t3.Commit();

        Assert.Equal(["a#0"], t1.Labels);
        Assert.Equal(["a#1", "b#0"], t2.Labels);
        Assert.Equal(["a#2"], t3.Labels);
        await Task.WhenAll(a0, a1, a2, b0).Within();
        Assert.Equal(3, committer.Transactions);
    }

    [Fact]
    public async Task CommitAsync_MaxConcurrentBatchesTwo_SecondTransactionRunsWhileFirstIsInFlight()
    {
        var store = new GatedStore();
        var committer = Committer(store, maxConcurrentBatches: 2);
        var a = committer.CommitAsync(Write("a"));
        var t1 = await store.NextAsync();

        var b = committer.CommitAsync(Write("b"));
        var t2 = await store.NextAsync();

        Assert.Equal(1, t2.OthersOpen);
        Assert.Equal(["b#0"], t2.Labels);
        Assert.False(a.IsCompleted);
        t2.Commit();
        Assert.Equal(LogbookWriteStatus.Committed, await b.Within());
        Assert.False(a.IsCompleted);
        t1.Commit();
        Assert.Equal(LogbookWriteStatus.Committed, await a.Within());
        Assert.Equal(2, committer.Transactions);
    }

    [Fact]
    public async Task CommitAsync_MaxConcurrentBatchesTwoSameRun_SecondWriteWaitsForTheFirstTransaction()
    {
        var store = new GatedStore();
        var committer = Committer(store, maxConcurrentBatches: 2);
        var first = committer.CommitAsync(Write("a", 0));
        var t1 = await store.NextAsync();
        var second = committer.CommitAsync(Write("a", 1));

        t1.Commit();
        var t2 = await store.NextAsync();
        t2.Commit();

        Assert.Equal(0, t2.OthersOpen); // it started only once the first one had ended
        Assert.Equal(["a#1"], t2.Labels);
        await Task.WhenAll(first, second).Within();
    }

    [Fact]
    public async Task CommitAsync_StoreReportsStatusesPerWrite_EachWriterGetsItsOwn()
    {
        var store = new GatedStore();
        var committer = Committer(store);
        var a = committer.CommitAsync(Write("a"));
        var t1 = await store.NextAsync();
        var b = committer.CommitAsync(Write("b"));
        var c = committer.CommitAsync(Write("c"));
        var d = committer.CommitAsync(Write("d"));
        t1.Commit(LogbookWriteStatus.Committed);

        var t2 = await store.NextAsync();
        t2.Commit(LogbookWriteStatus.Conflict, LogbookWriteStatus.Committed, LogbookWriteStatus.Conflict);

        Assert.Equal(LogbookWriteStatus.Committed, await a.Within());
        Assert.Equal(LogbookWriteStatus.Conflict, await b.Within());
        Assert.Equal(LogbookWriteStatus.Committed, await c.Within());
        Assert.Equal(LogbookWriteStatus.Conflict, await d.Within());
        Assert.Equal(4, committer.Writes);
    }

    [Fact]
    public async Task CommitAsync_NewRunWhoseIdIsTaken_ConflictsWhileOtherWritesCommit()
    {
        var store = new MemoryLogbookStore();
        var committer = Committer(store);
        Assert.Equal(LogbookWriteStatus.Committed, await committer.CommitAsync(Write("taken")).Within());

        var statuses = await Task.WhenAll(
            committer.CommitAsync(Write("taken")), // a new run whose id is taken
            committer.CommitAsync(Write("fresh"))).Within();

        Assert.Equal([LogbookWriteStatus.Conflict, LogbookWriteStatus.Committed], statuses);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task CommitAsync_TransactionFails_EveryWriteInItFailsWithFlowStorageException()
    {
        var store = new GatedStore();
        var committer = Committer(store);
        var a = committer.CommitAsync(Write("a"));
        var t1 = await store.NextAsync();
        var b = committer.CommitAsync(Write("b"));
        var c = committer.CommitAsync(Write("c"));
        t1.Commit();
        var t2 = await store.NextAsync();

        t2.Fail(new TimeoutException("the database did not answer"));

        Assert.Equal(LogbookWriteStatus.Committed, await a.Within());
        var failB = await Assert.ThrowsAsync<FlowStorageException>(() => b.Within());
        var failC = await Assert.ThrowsAsync<FlowStorageException>(() => c.Within());
        Assert.Same(failB, failC);
        Assert.Contains("2 run(s)", failB.Message);
        Assert.Contains("TimeoutException: the database did not answer", failB.Message);
        Assert.Equal(1, committer.Transactions);
        Assert.Equal(1, committer.Writes);
    }

    [Fact]
    public async Task CommitAsync_StoreThrowsFlowStorageException_ItReachesTheWriterAsIsAndLaterWritesCommit()
    {
        var store = new GatedStore();
        var committer = Committer(store);
        var a = committer.CommitAsync(Write("a"));
        var t1 = await store.NextAsync();
        var thrown = new FlowStorageException("disk full");

        t1.Fail(thrown);
        Assert.Same(thrown, await Assert.ThrowsAsync<FlowStorageException>(() => a.Within()));

        var retry = committer.CommitAsync(Write("a"));
        var t2 = await store.NextAsync();
        t2.Commit();
        Assert.Equal(LogbookWriteStatus.Committed, await retry.Within());
        Assert.Equal(["a#0"], t2.Labels);
        Assert.Equal(1, committer.Transactions);
    }

    [Fact]
    public async Task Constructor_NullStoreOrOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new LogbookCommitter(null!, new LogbookCommitterOptions(), NullLogger<LogbookCommitter>.Instance));
        Assert.Throws<ArgumentNullException>(() => new LogbookCommitter(new MemoryLogbookStore(), null!, NullLogger<LogbookCommitter>.Instance));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Committer(new MemoryLogbookStore()).CommitAsync(null!));
    }
}
