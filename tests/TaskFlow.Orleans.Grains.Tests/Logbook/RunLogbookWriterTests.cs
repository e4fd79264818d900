using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using static TaskFlow.Orleans.Grains.Tests.Logbook.LogbookTestKit;

namespace TaskFlow.Orleans.Grains.Tests.Logbook;

/// <remarks>
/// Each test body runs without a synchronization context, so the writer's continuations run where its commit or its retry
/// delay completes: when a gate opens or the fake clock advances, the writer has done everything that follows before the
/// call returns (as in a grain, one step at a time), and the tests observe it without waiting.
/// </remarks>
public sealed class RunLogbookWriterTests
{
    private const int A = 0, B = 1, C = 2;

    private readonly FakeTimeProvider _time = new(Epoch);

    /// <summary>Stands in for the cross-run committer: records every call and answers as the test says.</summary>
    private sealed class FakeCommit
    {
        public List<LogbookWrite> Calls { get; } = [];

        public List<TaskCompletionSource<LogbookWriteStatus>> Gates { get; } = [];

        /// <summary>What each call answers; the default leaves it pending on a gate the test opens.</summary>
        public Func<int, Task<LogbookWriteStatus>>? Answer { get; set; }

        public Task<LogbookWriteStatus> CommitAsync(LogbookWrite write)
        {
            Calls.Add(write);
            if (Answer is { } answer)
            {
                return answer(Calls.Count);
            }

            var gate = new TaskCompletionSource<LogbookWriteStatus>();
            Gates.Add(gate);
            return gate.Task;
        }
    }

    private static Task NoContext(Func<Task> body) => Task.Run(body);

    private static RunLogbookState NewRun()
    {
        var (_, header) = ChainWithHeader();
        return RunLogbookState.Create("run-1", header, Changes(Started(A)));
    }

    private RunLogbookWriter Writer(RunLogbookState state, FakeCommit commit, int maxAttempts = 5) =>
        new(state, Serializer, commit.CommitAsync, _time, maxAttempts, TimeSpan.FromMilliseconds(100));

    [Fact]
    public Task WaitDurableAsync_AlreadyDurable_CompletesAtOnceWithoutWriting() => NoContext(async () =>
    {
        var state = NewRun();
        var (write, covers) = state.TakeWrite(Serializer);
        state.Committed(write, covers);
        var commit = new FakeCommit();
        var writer = Writer(state, commit);

        var wait = writer.WaitDurableAsync(1);
        writer.Kick();

        Assert.True(wait.IsCompletedSuccessfully);
        await writer.FlushAsync().Within();
        Assert.Empty(commit.Calls);
        Assert.False(writer.IsWriting);
    });

    [Fact]
    public Task WaitDurableAsync_NewRun_OneWriteAndCompletesOnceItCommits() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit();
        var writer = Writer(state, commit);

        var wait = writer.WaitDurableAsync(1);

        Assert.True(writer.IsWriting);
        var write = Assert.Single(commit.Calls);
        Assert.NotNull(write.Header);
        Assert.Equal([A], write.Atoms.Select(a => a.AtomId));
        Assert.False(wait.IsCompleted);
        commit.Gates[0].SetResult(LogbookWriteStatus.Committed);
        await wait.Within();
        Assert.Equal((1L, 1L), (state.Version, state.DurableSequence));
        Assert.False(state.IsDirty);
        Assert.False(writer.IsWriting);
        Assert.Single(commit.Calls);
    });

    [Fact]
    public Task Kick_WhileAWriteIsInFlight_NoSecondWriteAndLaterChangesCoalesceIntoTheNext() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit();
        var writer = Writer(state, commit);
        var first = writer.WaitDurableAsync(1);

        state.Apply(Changes(Started(B)));
        writer.Kick();
        state.Apply(Changes(Started(C)));
        var third = writer.WaitDurableAsync(3);
        writer.Kick();

        Assert.Single(commit.Calls);
        commit.Gates[0].SetResult(LogbookWriteStatus.Committed);
        await first.Within();
        Assert.False(third.IsCompleted);
        Assert.Equal(2, commit.Calls.Count);
        var second = commit.Calls[1];
        Assert.Null(second.Header);
        Assert.Equal(1, second.ExpectedVersion);
        Assert.Equal([B, C], second.Atoms.Select(a => a.AtomId));
        commit.Gates[1].SetResult(LogbookWriteStatus.Committed);
        await third.Within();
        Assert.Equal((2L, 3L), (state.Version, state.DurableSequence));
        Assert.Equal(2, commit.Calls.Count);
    });

    [Fact]
    public Task FlushAsync_EverythingAppliedSoFar_CompletesWhenItIsDurable() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit { Answer = _ => Task.FromResult(LogbookWriteStatus.Committed) };
        var writer = Writer(state, commit);
        state.Apply(Changes(Executed(A, 1)));
        state.Apply(Changes(Started(B)));

        await writer.FlushAsync().Within();

        Assert.Equal(3, state.DurableSequence);
        Assert.Single(commit.Calls);
        Assert.Equal([A, B], commit.Calls[0].Atoms.Select(a => a.AtomId));
    });

    [Fact]
    public Task WaitDurableAsync_CommitThrows_RetriesTheSameWriteWithDoublingBackoff() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit
        {
            Answer = call => call <= 2 ? Task.FromException<LogbookWriteStatus>(new TimeoutException("no answer")) : Task.FromResult(LogbookWriteStatus.Committed),
        };
        var writer = Writer(state, commit);

        var wait = writer.WaitDurableAsync(1);
        Assert.Single(commit.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(commit.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, commit.Calls.Count);
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(2, commit.Calls.Count);
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await wait.Within();
        Assert.Equal(3, commit.Calls.Count);
        Assert.All(commit.Calls, call => Assert.Same(commit.Calls[0], call)); // same write, same write id
        Assert.Null(writer.Broken);
        Assert.Equal(1, state.Version);
    });

    [Fact]
    public Task WaitDurableAsync_AppliedDuringARetry_GoesIntoTheNextWriteNotTheRetriedOne() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit
        {
            Answer = call => call == 1 ? Task.FromException<LogbookWriteStatus>(new TimeoutException()) : Task.FromResult(LogbookWriteStatus.Committed),
        };
        var writer = Writer(state, commit);
        var first = writer.WaitDurableAsync(1);

        state.Apply(Changes(Started(B)));
        var second = writer.WaitDurableAsync(2);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        await Task.WhenAll(first, second).Within();
        Assert.Equal(3, commit.Calls.Count);
        Assert.Same(commit.Calls[0], commit.Calls[1]);
        Assert.Equal([A], commit.Calls[1].Atoms.Select(a => a.AtomId));
        Assert.Equal([B], commit.Calls[2].Atoms.Select(a => a.AtomId));
        Assert.Equal(1, commit.Calls[2].ExpectedVersion);
    });

    [Fact]
    public Task WaitDurableAsync_FailsPastMaxAttempts_WriterBreaksAndWaitersFail() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit { Answer = _ => Task.FromException<LogbookWriteStatus>(new TimeoutException("no answer")) };
        var writer = Writer(state, commit, maxAttempts: 3);

        var wait = writer.WaitDurableAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(200));

        var exception = await Assert.ThrowsAsync<FlowStorageException>(() => wait.Within());
        Assert.Same(writer.Broken, exception);
        Assert.Contains("run-1", exception.Message);
        Assert.Contains("after 3 attempt(s)", exception.Message);
        Assert.Contains("TimeoutException: no answer", exception.Message);
        Assert.Equal(3, commit.Calls.Count);
        Assert.Equal(0, state.DurableSequence);

        // Broken: nothing more is written, and every later wait fails at once.
        writer.Kick();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, commit.Calls.Count);
        Assert.False(writer.IsWriting);
        Assert.Same(exception, await Assert.ThrowsAsync<FlowStorageException>(() => writer.WaitDurableAsync(1)));

        // What the failed write carried is not lost from the state: it would go into the next write.
        Assert.Equal([A], state.TakeWrite(Serializer).Write.Atoms.Select(a => a.AtomId));
    });

    [Fact]
    public Task WaitDurableAsync_CommitThrowsTaskFlowException_BreaksWithThatException() => NoContext(async () =>
    {
        var state = NewRun();
        var thrown = new FlowStorageException("the transaction failed");
        var commit = new FakeCommit { Answer = _ => Task.FromException<LogbookWriteStatus>(thrown) };
        var writer = Writer(state, commit, maxAttempts: 1);

        Assert.Same(thrown, await Assert.ThrowsAsync<FlowStorageException>(() => writer.WaitDurableAsync(1).Within()));
        Assert.Same(thrown, writer.Broken);
        Assert.Single(commit.Calls);
    });

    [Fact]
    public Task WaitDurableAsync_Conflict_BreaksWithLogbookConflictExceptionWithoutRetrying() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit { Answer = _ => Task.FromResult(LogbookWriteStatus.Conflict) };
        var writer = Writer(state, commit);

        var exception = await Assert.ThrowsAsync<LogbookConflictException>(() => writer.WaitDurableAsync(1).Within());

        Assert.Same(writer.Broken, exception);
        Assert.Contains("run-1", exception.Message);
        Assert.Contains("version 0", exception.Message);
        Assert.Single(commit.Calls);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(commit.Calls);
        Assert.Equal((0L, 0L), (state.Version, state.DurableSequence));
    });

    [Fact]
    public Task WaitDurableAsync_ConflictOnALaterWrite_EarlierWaitersStayCompletedLaterOnesFail() => NoContext(async () =>
    {
        var state = NewRun();
        var commit = new FakeCommit();
        var writer = Writer(state, commit);
        var first = writer.WaitDurableAsync(1);
        state.Apply(Changes(Started(B)));
        var second = writer.WaitDurableAsync(2);

        commit.Gates[0].SetResult(LogbookWriteStatus.Committed);
        commit.Gates[1].SetResult(LogbookWriteStatus.Conflict);

        await first.Within();
        await Assert.ThrowsAsync<LogbookConflictException>(() => second.Within());
        Assert.Equal(1, state.DurableSequence);
    });
}
