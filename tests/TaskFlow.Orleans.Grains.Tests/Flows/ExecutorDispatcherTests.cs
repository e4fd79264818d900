using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Flows;
using TaskFlow.Orleans.Grains.Tests.Logbook;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Tests.Flows;

/// <remarks>Bodies that advance the fake clock run without a synchronization context, so the dispatcher's continuations run
/// inside <c>Advance</c> and each re-dispatch is visible as soon as it returns.</remarks>
public sealed class ExecutorDispatcherTests
{
    private readonly FakeTimeProvider _time = new(LogbookTestKit.Epoch);
    private readonly List<(int Atom, bool IsRevert, ExecutionResult Result)> _posted = [];
    private readonly List<(Exception Exception, int Atom, int Attempt)> _redispatches = [];
    private readonly List<string?> _routedTo = [];

    /// <summary>An executor: answers each call as told (by default a gate the test opens) and records calls and cancels.</summary>
    private sealed class FakeRoute : IExecutorRoute
    {
        public List<object> Calls { get; } = [];

        public List<string> Cancelled { get; } = [];

        public Queue<Func<Task<ExecutionResult>>> Answers { get; } = new();

        public List<TaskCompletionSource<ExecutionResult>> Gates { get; } = [];

        public Task<ExecutionResult> ExecuteAsync(TaskRequest request)
        {
            Calls.Add(request);
            return Next();
        }

        public Task<ExecutionResult> RevertAsync(RevertRequest request)
        {
            Calls.Add(request);
            return Next();
        }

        public Task CancelAsync(string executionId)
        {
            Cancelled.Add(executionId);
            return Task.CompletedTask;
        }

        private Task<ExecutionResult> Next()
        {
            if (Answers.TryDequeue(out var answer))
            {
                return answer();
            }

            var gate = new TaskCompletionSource<ExecutionResult>();
            Gates.Add(gate);
            return gate.Task;
        }
    }

    private static Task NoContext(Action body) => Task.Run(body);

    private ExecutorDispatcher Dispatcher(params FakeRoute[] routes)
    {
        var next = 0;
        return new ExecutorDispatcher(
            (capability, _) =>
            {
                _routedTo.Add(capability);
                return routes[Math.Min(next++, routes.Length - 1)];
            },
            (atom, isRevert, result) => _posted.Add((atom, isRevert, result)),
            (exception, atom, attempt) => _redispatches.Add((exception, atom, attempt)),
            _time);
    }

    private static TaskRequest Request(string atom = "a", int attempt = 1) => new()
    {
        FlowId = "run-1",
        AtomName = atom,
        TaskName = "source",
        ExecutionId = $"run-1/{atom}/{attempt}",
        Arguments = new Dictionary<string, object?> { ["x"] = 1 },
    };

    private static RevertRequest Revert(string atom = "a") => new()
    {
        FlowId = "run-1",
        AtomName = atom,
        TaskName = "source",
        ExecutionId = $"run-1/{atom}/1",
        Arguments = [],
        FlowFailures = [],
    };

    private static Func<Task<ExecutionResult>> Throws(Exception exception) => () => Task.FromException<ExecutionResult>(exception);

    private static Func<Task<ExecutionResult>> Returns(ExecutionResult result) => () => Task.FromResult(result);

    [Fact]
    public Task Execute_PlainExecutor_SendsTheRequestAndPostsTheOutcomeOnce() => NoContext(() =>
    {
            var route = new FakeRoute();
            var dispatcher = Dispatcher(route);
            var request = Request();

            dispatcher.Execute(3, capability: null, request);
            Assert.Equal(1, dispatcher.InFlight);
            Assert.Empty(_posted);
            route.Gates[0].SetResult(ExecutionResult.Success(42, ranOn: "silo-2"));

            var (atom, isRevert, result) = Assert.Single(_posted);
            Assert.Equal((3, false, (object?)42, "silo-2"), (atom, isRevert, result.Value, result.RanOn));
            Assert.Same(request, Assert.Single(route.Calls));
            Assert.Equal([null], _routedTo);
            Assert.Equal(0, dispatcher.InFlight);
    });

    [Fact]
    public void Revert_RoutedExecutor_SameCodePathWithTheCapability()
    {
        var route = new FakeRoute();
        route.Answers.Enqueue(Returns(ExecutionResult.Success(null)));
        var dispatcher = Dispatcher(route);
        var request = Revert();

        dispatcher.Revert(1, capability: "gpu", request);

        Assert.Equal(["gpu"], _routedTo);
        Assert.Same(request, Assert.Single(route.Calls));
        Assert.Equal((1, true, true), (_posted[0].Atom, _posted[0].IsRevert, _posted[0].Result.IsSuccess));
    }

    [Fact]
    public void Execute_TaskFailed_OutcomeIsPostedAsIsWithoutRedispatch()
    {
        var route = new FakeRoute();
        var failure = Failure.FromException(new InvalidOperationException("task says no"));
        route.Answers.Enqueue(Returns(ExecutionResult.Failed(failure)));
        var dispatcher = Dispatcher(route);

        dispatcher.Execute(0, null, Request());

        Assert.Equal(failure, Assert.Single(_posted).Result.Failure);
        Assert.Empty(_redispatches);
    }

    [Theory]
    [InlineData(typeof(SiloUnavailableException))]
    [InlineData(typeof(ExecutorStoppingException))]
    public Task Execute_ExecutorLost_DispatchedAgainWithTheSameExecutionIdAfterBackoff(Type lost) => NoContext(() =>
    {
        var exception = (Exception)Activator.CreateInstance(lost, "the silo went away")!;
        var first = new FakeRoute();
        first.Answers.Enqueue(Throws(exception));
        var second = new FakeRoute();
        second.Answers.Enqueue(Returns(ExecutionResult.Success(7)));
        var dispatcher = Dispatcher(first, second);
        var request = Request("b", attempt: 4);

        dispatcher.Execute(2, "gpu", request);
        Assert.Empty(_posted);
        Assert.Equal((exception, 2, 1), Assert.Single(_redispatches));
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Empty(second.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Same(request, Assert.Single(second.Calls));
        Assert.Equal("run-1/b/4", ((TaskRequest)second.Calls[0]).ExecutionId);
        Assert.Equal(["gpu", "gpu"], _routedTo);
        Assert.Equal((2, false, (object?)7), (_posted[0].Atom, _posted[0].IsRevert, _posted[0].Result.Value));
        Assert.Single(_posted);
        Assert.Equal(0, dispatcher.InFlight);
    });

    [Fact]
    public Task Execute_CallCancelledByTheRuntime_DispatchedAgainNotFailed() => NoContext(() =>
    {
        // Orleans answers requests queued at an activation that failed to activate with the exception that stopped it.
        var first = new FakeRoute();
        first.Answers.Enqueue(Throws(new OperationCanceledException()));
        var second = new FakeRoute();
        second.Answers.Enqueue(Returns(ExecutionResult.Success(9)));
        var dispatcher = Dispatcher(first, second);
        var request = Request("c", attempt: 2);

        dispatcher.Execute(4, null, request);
        Assert.Empty(_posted);
        Assert.IsType<OperationCanceledException>(Assert.Single(_redispatches).Exception);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Same(request, Assert.Single(second.Calls));
        var (atom, _, result) = Assert.Single(_posted);
        Assert.Equal((4, (object?)9), (atom, result.Value));
    });

    [Fact]
    public Task Execute_CallCancelledAfterTheFlowCancelledIt_FailsWithoutRedispatch() => NoContext(() =>
    {
        var route = new FakeRoute();
        var dispatcher = Dispatcher(route);
        dispatcher.Execute(0, null, Request());
        dispatcher.CancelAll();

        route.Gates[0].SetException(new OperationCanceledException());

        Assert.Empty(_redispatches);
        var (_, _, result) = Assert.Single(_posted);
        Assert.True(result.Failure!.Is<OperationCanceledException>());
        Assert.Single(route.Calls);
    });

    [Fact]
    public Task Execute_ExecutorKeepsBeingLost_FailsAfterMaxDispatchAttempts() => NoContext(() =>
    {
        var route = new FakeRoute();
        for (var i = 0; i < ExecutorDispatcher.MaxDispatchAttempts; i++)
        {
            route.Answers.Enqueue(Throws(new SiloUnavailableException("gone")));
        }

        var dispatcher = Dispatcher(route);
        var request = Request();

        dispatcher.Execute(0, null, request);
        for (var attempt = 1; attempt < ExecutorDispatcher.MaxDispatchAttempts; attempt++)
        {
            Assert.Empty(_posted);
            _time.Advance(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << attempt)));
        }

        Assert.Equal(ExecutorDispatcher.MaxDispatchAttempts, route.Calls.Count);
        Assert.All(route.Calls, call => Assert.Same(request, call));
        Assert.Equal(Enumerable.Range(1, ExecutorDispatcher.MaxDispatchAttempts - 1), _redispatches.Select(r => r.Attempt));
        var (_, _, result) = Assert.Single(_posted);
        Assert.False(result.IsSuccess);
        Assert.True(result.Failure!.Is<SiloUnavailableException>());
        Assert.Equal(0, dispatcher.InFlight);
    });

    [Fact]
    public void Execute_CallThrowsAnythingElse_FailureOutcomeWithoutRedispatch()
    {
        var route = new FakeRoute();
        route.Answers.Enqueue(Throws(new TimeoutException("the call timed out")));
        var dispatcher = Dispatcher(route);

        dispatcher.Execute(5, null, Request());

        var (atom, isRevert, result) = Assert.Single(_posted);
        Assert.Equal((5, false), (atom, isRevert));
        Assert.True(result.Failure!.Is<TimeoutException>());
        Assert.Equal("the call timed out", result.Failure.Message);
        Assert.Empty(_redispatches);
        Assert.Single(route.Calls);
    }

    [Fact]
    public void Execute_RouteCannotBeFound_FailureOutcome()
    {
        var dispatcher = new ExecutorDispatcher((_, _) => throw new ArgumentException("no such capability"),
            (atom, isRevert, result) => _posted.Add((atom, isRevert, result)), (_, _, _) => { }, _time);

        dispatcher.Execute(0, "quantum", Request());

        Assert.True(Assert.Single(_posted).Result.Failure!.Is<ArgumentException>());
        Assert.Equal(0, dispatcher.InFlight);
    }

    [Fact]
    public void IsExecutorLost_ExceptionKinds_OnlyLostExecutorsCount()
    {
        Assert.True(ExecutorDispatcher.IsExecutorLost(new SiloUnavailableException()));
        Assert.True(ExecutorDispatcher.IsExecutorLost(new ExecutorStoppingException("stopping")));
        Assert.False(ExecutorDispatcher.IsExecutorLost(new TimeoutException()));
        Assert.False(ExecutorDispatcher.IsExecutorLost(new InvalidOperationException()));
    }

    [Fact]
    public Task CancelAll_CallsInFlight_ReachesEachExecutorWithItsExecutionIdAndOutcomesStillArrive() => NoContext(() =>
    {
            var first = new FakeRoute();
            var second = new FakeRoute();
            var dispatcher = Dispatcher(first, second);
            dispatcher.Execute(0, null, Request("a"));
            dispatcher.Execute(1, "gpu", Request("b", attempt: 2));
            Assert.Equal(2, dispatcher.InFlight);

            dispatcher.CancelAll();

            Assert.Equal(["run-1/a/1"], first.Cancelled);
            Assert.Equal(["run-1/b/2"], second.Cancelled);
            Assert.Empty(_posted);
            first.Gates[0].SetResult(ExecutionResult.Failed(Failure.Create("System.OperationCanceledException", "cancelled")));
            second.Gates[0].SetResult(ExecutionResult.Success(1));
            Assert.Equal([(0, false), (1, false)], _posted.Select(p => (p.Atom, p.IsRevert)));
            Assert.Equal(0, dispatcher.InFlight);
    });

    [Fact]
    public Task CancelAll_CallWaitingToBeDispatchedAgain_CancelIsNotLost() => NoContext(() =>
    {
        var lost = new FakeRoute();
        lost.Answers.Enqueue(Throws(new SiloUnavailableException("gone")));
        var next = new FakeRoute();
        var dispatcher = Dispatcher(lost, next);
        dispatcher.Execute(0, null, Request("a"));
        Assert.Single(_redispatches);

        dispatcher.CancelAll(); // while the call waits to be dispatched again
        _time.Advance(TimeSpan.FromSeconds(1));

        // The cancel must reach the call wherever it runs: either it is not dispatched again, or its new executor is told.
        Assert.True(next.Calls.Count == 0 || next.Cancelled.Contains("run-1/a/1"),
            $"re-dispatched to a new executor ({next.Calls.Count} call(s)) that was never cancelled; only the lost one was: [{string.Join(", ", lost.Cancelled)}]");
    });

    [Fact]
    public void CancelAll_AfterCallsReturned_ReachesNobody()
    {
        var route = new FakeRoute();
        route.Answers.Enqueue(Returns(ExecutionResult.Success(1)));
        var dispatcher = Dispatcher(route);
        dispatcher.Execute(0, null, Request());

        dispatcher.CancelAll();

        Assert.Empty(route.Cancelled);
    }
}
