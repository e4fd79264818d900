using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>test_retries.py: crash points, retries that fail themselves, subgraphs past the retried flow, parallel completions.</summary>
public sealed partial class RetryScenarioTests
{
    // ---- crash points (TaskFlow's _pretend_to_run_a_flow_and_crash) ----

    public static TheoryData<string> CrashPoints => ["task fails", "retry queried", "retry updated", "task updated"];

    private EngineDriver CrashedRun(string when)
    {
        var flow = _tasks.Compile(Flow.Unordered("flow-1").Add("progressing", name: "task1").WithRetry(Retry.Times(3, provides: "x")));
        var foo = Failure.FromException(new RuntimeError("foo"));
        var history = RetryHistory.Empty.WithAttempt(1);
        if (when != "task fails")
        {
            history = history.WithFailure("task1", foo);
        }

        var intentions = new Dictionary<string, Intention>();
        if (when is "retry updated" or "task updated" or "revert scheduled")
        {
            intentions["flow-1_retry"] = Intention.Retry;
        }

        if (when is "task updated" or "revert scheduled")
        {
            intentions["task1"] = Intention.Revert;
        }

        var memento = Mementos.Of(flow, FlowState.Running,
            new Dictionary<string, AtomState>
            {
                ["flow-1_retry"] = AtomState.Success,
                ["task1"] = when == "revert scheduled" ? AtomState.Reverting : AtomState.Failure,
            },
            intentions,
            new Dictionary<string, RetryHistory> { ["flow-1_retry"] = history },
            new Dictionary<string, Failure> { ["task1"] = foo });
        var driver = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);
        driver.Store.Save(new AtomCompletion(flow.Atoms.Single(a => a.IsRetry).Id, false, 1, null));
        return driver;
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resumption_on_crash_after_task_failure")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resumption_on_crash_after_retry_queried")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resumption_on_crash_after_retry_updated")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resumption_on_crash_after_task_updated")]
    public void Resume_CrashedAroundAFailure_ResolvesItAgainAndRetries(string when)
    {
        var driver = CrashedRun(when);

        driver.Resume();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RESUMING", "flow-1.f SUSPENDED", "flow-1.f RUNNING",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "flow-1_retry.r RETRYING",
             "task1.t PENDING",
             "flow-1_retry.r RUNNING", "flow-1_retry.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
        // The failure is recorded once, however many times it is resolved (TaskFlow's save_retry_failure).
        Assert.Single(driver.Engine.GetRetryHistory(driver.Id("flow-1_retry"))[0].Failures);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resumption_on_crash_after_revert_scheduled")]
    public void Resume_CrashedWhileReverting_RedispatchesTheRevertThenRetries()
    {
        var driver = CrashedRun("revert scheduled");

        var resume = driver.Resume();

        Assert.Equal(["task1"], driver.Names(resume.Revert));
        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RESUMING", "flow-1.f SUSPENDED", "flow-1.f RUNNING",
             "task1.t REVERTED(None)",
             "flow-1_retry.r RETRYING",
             "task1.t PENDING",
             "flow-1_retry.r RUNNING", "flow-1_retry.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    // ---- retries that fail themselves ----

    private sealed class FailingRetry(bool revertFails) : IRetryController
    {
        public RetryHistory? RevertedWith { get; private set; }

        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => throw new ValueError("OMG I FAILED");

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => RetryDecision.Revert;

        public void Revert(RetryHistory history, IReadOnlyDictionary<string, object?> arguments)
        {
            RevertedWith = history;
            if (revertFails)
            {
                throw new ValueError("WOOT!");
            }
        }
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_retry_fails")]
    public void Run_RetryExecuteFails_RetryIsRevertedWithItsOwnFailureInTheHistory()
    {
        var retry = new FailingRetry(revertFails: false);
        _tasks.RetryController("failing-retry", retry);
        var driver = _tasks.Drive(Flow.Linear("testflow").Add("noop", name: "t").WithRetry(Retry.Custom("failing-retry")));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.NotNull(retry.RevertedWith);
        Assert.Equal(0, retry.RevertedWith.Count);
        Assert.Empty(retry.RevertedWith.Outcomes());
        Assert.NotNull(retry.RevertedWith.Failure);
        Assert.True(retry.RevertedWith.CausedBy("ValueError", includeRetry: true));
        Assert.False(retry.RevertedWith.CausedBy("ValueError"));
        Assert.Equal(AtomState.Pending, driver.State("t"));
        Assert.Equal(
            ["testflow.f RUNNING",
             "testflow_retry.r RUNNING", "testflow_retry.r FAILURE(Failure: ValueError: OMG I FAILED)",
             "testflow_retry.r REVERTING", "testflow_retry.r REVERTED(None)",
             "testflow.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_retry_revert_fails")]
    public void Run_RetryExecuteAndRevertFail_EndsFailure()
    {
        _tasks.RetryController("nasty-failing-retry", new FailingRetry(revertFails: true));
        var driver = _tasks.Drive(Flow.Linear("testflow").Add("noop", name: "t").WithRetry(Retry.Custom("nasty-failing-retry")));

        driver.Start();

        Assert.Equal(FlowState.Failure, driver.RunToEnd());
        Assert.Equal("testflow_retry.r REVERT_FAILURE(Failure: ValueError: WOOT!)", driver.Capture[^2]);
    }

    // ---- a retry's subgraph reaches past its flow (TaskFlow's reset_subgraph walks every successor) ----

    private (EngineDriver Driver, AtomCompletion[] Saved) NestedProvidesGraph(string last, AtomState lastState, bool aRan)
    {
        var flow = _tasks.Compile(Flow.Graph("test")
            .Add("progressing", name: "a", requires: "x")
            .Add(Flow.Linear("test2")
                .Add("progressing", name: "b", provides: "x")
                .Add(last, name: "c")
                .WithRetry(Retry.Times(2))));
        var states = new Dictionary<string, AtomState> { ["test2_retry"] = AtomState.Success, ["b"] = AtomState.Success };
        if (aRan)
        {
            states["a"] = AtomState.Success;
        }

        var failures = new Dictionary<string, Failure>();
        if (lastState == AtomState.Failure)
        {
            states["c"] = AtomState.Failure;
            failures["c"] = EngineDriver.Woot;
        }

        var memento = Mementos.Of(flow, FlowState.Pending, states, null,
            new Dictionary<string, RetryHistory> { ["test2_retry"] = RetryHistory.Empty.WithAttempt(1) }, failures);
        var driver = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);
        AtomCompletion[] saved = [new(driver.Id("test2_retry"), false, 1, null), new(driver.Id("b"), false, 11, null), new(driver.Id("a"), false, 10, null)];
        foreach (var completion in saved)
        {
            driver.Store.Save(completion);
        }

        return (driver, saved);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_provides_graph_reverts_correctly")]
    public void Resume_TaskAfterRetriedSubflowHadRun_IsRevertedFirstAndNotRunAgain()
    {
        var (driver, _) = NestedProvidesGraph("failing", AtomState.Pending, aRan: true);

        driver.Resume();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        // TaskFlow checks the first eight as a multiset and the rest as a subsequence; 'a' comes after the retried subflow
        // ('a' needs x from 'b'), so it is in the retry's subgraph and must revert before 'c'.
        Assert.Equal(
            ["test.f RUNNING",
             "c.t RUNNING", $"c.t FAILURE({Woot})",
             "a.t REVERTING", "a.t REVERTED(None)",
             "c.t REVERTING", "c.t REVERTED(None)",
             "b.t REVERTING", "b.t REVERTED(None)",
             "test2_retry.r RETRYING",
             "b.t PENDING", "c.t PENDING", "a.t PENDING",
             "test2_retry.r RUNNING", "test2_retry.r SUCCESS(2)",
             "b.t RUNNING", "b.t SUCCESS(5)",
             "c.t RUNNING", $"c.t FAILURE({Woot})",
             "c.t REVERTING", "c.t REVERTED(None)",
             "b.t REVERTING", "b.t REVERTED(None)",
             "test2_retry.r REVERTING", "test2_retry.r REVERTED(None)",
             "test.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_provides_graph_retried_correctly")]
    public void Resume_TaskLeftInFailure_IsResolvedAgainAndTheRetriedSubflowFeedsTheTaskAfterIt()
    {
        var (driver, _) = NestedProvidesGraph("progressing", AtomState.Failure, aRan: false);

        driver.Resume();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["test.f RUNNING",
             "c.t REVERTING", "c.t REVERTED(None)",
             "b.t REVERTING", "b.t REVERTED(None)",
             "test2_retry.r RETRYING",
             "b.t PENDING", "c.t PENDING",
             "test2_retry.r RUNNING", "test2_retry.r SUCCESS(2)",
             "b.t RUNNING", "b.t SUCCESS(5)",
             "c.t RUNNING", "c.t SUCCESS(5)",
             "a.t RUNNING", "a.t SUCCESS(5)",
             "test.f SUCCESS"],
            driver.Capture);
    }

    // ---- RetryParallelExecutionTest: completions in a chosen order ----

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryParallelExecutionTest.test_when_subflow_fails_revert_running_tasks")]
    public void Run_SiblingStillRunningWhenTaskFails_FinishesThenRevertsBeforeTheRetry()
    {
        var driver = _tasks.Drive(Flow.Unordered("flow-1")
            .Add("progressing", name: "task1")
            .Add("conditional", name: "task2")
            .WithRetry(Retry.Times(3, name: "r", provides: "x")), Inputs(("y", 2)));

        driver.Start();
        driver.Complete("r");
        driver.Complete("task2");
        driver.Complete("task2");
        driver.Complete("task1");
        driver.Complete("task1");
        driver.Complete("r");
        driver.Complete("task2");
        driver.Complete("task1");

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r.r RUNNING", "r.r SUCCESS(1)",
             "task1.t RUNNING", "task2.t RUNNING",
             $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t SUCCESS(5)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r.r RETRYING",
             "task1.t PENDING", "task2.t PENDING",
             "r.r RUNNING", "r.r SUCCESS(2)",
             "task1.t RUNNING", "task2.t RUNNING",
             "task2.t SUCCESS(None)", "task1.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryParallelExecutionTest.test_when_subflow_fails_revert_success_tasks")]
    public void Run_FailureInNestedLinearFlow_RevertsSucceededTasksOfTheWholeRetriedFlow()
    {
        // TaskFlow compares as a multiset; our order: reverts start as soon as nothing after them is left to undo.
        var driver = _tasks.Drive(Flow.Unordered("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2").Add("progressing", name: "task2").Add("conditional", name: "task3"))
            .WithRetry(Retry.Times(3, name: "r", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r.r RUNNING", "r.r SUCCESS(1)",
             "task1.t RUNNING", "task2.t RUNNING",
             "task1.t SUCCESS(5)", "task2.t SUCCESS(5)",
             "task3.t RUNNING", $"task3.t FAILURE({Woot})",
             "task3.t REVERTING", "task1.t REVERTING",
             "task3.t REVERTED(None)",
             "task2.t REVERTING",
             "task1.t REVERTED(None)",
             "task2.t REVERTED(None)",
             "r.r RETRYING",
             "task1.t PENDING", "task2.t PENDING", "task3.t PENDING",
             "r.r RUNNING", "r.r SUCCESS(2)",
             "task1.t RUNNING", "task2.t RUNNING",
             "task1.t SUCCESS(5)", "task2.t SUCCESS(5)",
             "task3.t RUNNING", "task3.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }
}
