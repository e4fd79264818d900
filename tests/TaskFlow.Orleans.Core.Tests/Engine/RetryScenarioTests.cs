using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// TaskFlow's <c>taskflow/tests/unit/test_retries.py</c>, scenario by scenario, asserting the same ordered capture
/// (<c>"r1.r SUCCESS(1)"</c>, <c>"task2.t FAILURE(Failure: RuntimeError: Woot!)"</c>). Where TaskFlow compares only as a
/// multiset (parallel engines), the exact order our engine produces is asserted and the test says so.
/// </summary>
public sealed partial class RetryScenarioTests
{
    private readonly FakeTaskCatalog _tasks = Catalog();

    private const string Woot = "Failure: RuntimeError: Woot!";

    // ---- empty flows and retries that control nothing ----

    [Theory]
    [Trait("TaskFlow", "test_retries.RetryTest.test_run_empty_linear_flow")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_run_empty_unordered_flow")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_run_empty_graph_flow")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_run_just_retry")]
    [Trait("TaskFlow", "test_retries.RetryTest.test_use_retry_as_a_task")]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    public void Compile_RetryOnFlowWithoutTasks_IsRejected(PatternKind kind)
    {
        // Deviation, as issue 4 asks: TaskFlow runs a retry on an empty flow (it provides x=1 and nothing else), and raises
        // TypeError for a retry used as a task. Here a retry can only be attached to a flow, and one that controls no task is
        // a "retry-without-subflow" problem at compile time.
        var flow = kind switch
        {
            PatternKind.Linear => Flow.Linear("flow-1"),
            PatternKind.Unordered => Flow.Unordered("flow-1"),
            _ => Flow.Graph("flow-1"),
        };

        var exception = _tasks.CompileFails(Flow.Linear("root").Add("noop", name: "t").Add(flow.WithRetry(Retry.AlwaysRevert(provides: "x"))));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("retry-without-subflow", problem.Code);
        Assert.Equal("flow-1_retry", problem.AtomName);
        Assert.Contains("controls nothing", problem.Message);
    }

    // ---- Times on a linear flow ----

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_states_retry_success_linear_flow")]
    public void Run_TimesRetryAndSecondAttemptSucceeds_RevertsSubflowRetriesOnceAndSucceeds()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add("conditional", name: "task2")
            .WithRetry(Retry.Times(4, name: "r1", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r RETRYING",
             "task1.t PENDING",
             "task2.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
        Assert.Equal(2, driver.Store.GetResults().Named["x"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_states_retry_reverted_linear_flow")]
    public void Run_TimesRetryAttemptsUsedUp_RevertsSubflowAndRetryAndEndsReverted()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add("conditional", name: "task2")
            .WithRetry(Retry.Times(2, name: "r1", provides: "x")), Inputs(("y", 4)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r RETRYING",
             "task1.t PENDING",
             "task2.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_states_retry_failure_linear_flow")]
    public void Run_RevertFailsWhileRetrying_EndsFailureWithoutRetrying()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("nasty", name: "task1")
            .Add("conditional", name: "task2")
            .WithRetry(Retry.Times(2, name: "r1", provides: "x")), Inputs(("y", 4)));

        driver.Start();

        Assert.Equal(FlowState.Failure, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERT_FAILURE(Failure: RuntimeError: Gotcha!)",
             "flow-1.f FAILURE"],
            driver.Capture);
        Assert.Equal(1, driver.Store.GetResults().Named["x"]);
    }

    // ---- nested retries ----

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_states_retry_failure_nested_flow_fails")]
    public void Run_InnerRetryRetries_OuterRetryIsNotConsulted()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("noop", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("noop", name: "task2")
                .Add("conditional", name: "task3")
                .WithRetry(Retry.Times(3, name: "r2", provides: "x")))
            .Add("noop", name: "task4")
            .WithRetry(Retry.AlwaysRevert(name: "r1")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(None)",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "r2.r RUNNING", "r2.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", $"task3.t FAILURE({Woot})",
             "task3.t REVERTING", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r2.r RETRYING",
             "task2.t PENDING",
             "task3.t PENDING",
             "r2.r RUNNING", "r2.r SUCCESS(2)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", "task3.t SUCCESS(None)",
             "task4.t RUNNING", "task4.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    private FlowBuilder NewRevertVsOldFlow() => Flow.Linear("flow-1")
        .Add("noop", name: "task1")
        .Add(Flow.Linear("flow-2")
            .Add("noop", name: "task2")
            .Add("conditional", name: "task3")
            .WithRetry(Retry.Times(1, name: "r1", provides: "x")))
        .Add("noop", name: "task4");

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_new_revert_vs_old")]
    public void Run_RevertWithoutParentRetry_RevertsOnlyTheSubflow()
    {
        var driver = _tasks.Drive(NewRevertVsOldFlow(), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", $"task3.t FAILURE({Woot})",
             "task3.t REVERTING", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
        Assert.Equal(AtomState.Success, driver.State("task1"));
        Assert.Equal(new FailureResolution(driver.Id("task3"), driver.Id("r1"), ResolutionStrategy.Revert, Applied: true),
            Assert.Single(driver.Steps.SelectMany(s => s.Resolutions)));
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_new_revert_vs_old")]
    public void Run_RevertWithDeferRevertsAndNoParentRetry_RevertsTheWholeFlow()
    {
        var driver = _tasks.Drive(NewRevertVsOldFlow(), Inputs(("y", 2)), new FlowEngineOptions { DeferReverts = true });

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", $"task3.t FAILURE({Woot})",
             "task3.t REVERTING", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_states_retry_failure_parent_flow_fails")]
    public void Run_FailureInOuterFlow_OuterRetryRetriesAndInnerRetryStartsAfresh()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("noop", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("noop", name: "task2")
                .Add("noop", name: "task3")
                .WithRetry(Retry.Times(3, name: "r2", provides: "x2")))
            .Add("conditional", name: "task4", rebind: ("x", "x1"))
            .WithRetry(Retry.Times(3, name: "r1", provides: "x1")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "r2.r RUNNING", "r2.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", "task3.t SUCCESS(None)",
             "task4.t RUNNING", $"task4.t FAILURE({Woot})",
             "task4.t REVERTING", "task4.t REVERTED(None)",
             "task3.t REVERTING", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r2.r REVERTING", "r2.r REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r RETRYING",
             "task1.t PENDING",
             "r2.r PENDING",
             "task2.t PENDING",
             "task3.t PENDING",
             "task4.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(None)",
             "r2.r RUNNING", "r2.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "task3.t RUNNING", "task3.t SUCCESS(None)",
             "task4.t RUNNING", "task4.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
        var named = driver.Store.GetResults().Named;
        Assert.Equal(2, named["x1"]);
        Assert.Equal(1, named["x2"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_unordered_flow_task_fails_parallel_tasks_should_be_reverted")]
    public void Run_UnorderedFlowOneTaskFails_RevertsItsSiblingsThenRetries()
    {
        // TaskFlow compares this capture as a multiset (parallel engines); this is the order our engine produces.
        var driver = _tasks.Drive(Flow.Unordered("flow-1")
            .Add("progressing", name: "task1")
            .Add("conditional", name: "task2")
            .WithRetry(Retry.Times(3, name: "r", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r.r RUNNING", "r.r SUCCESS(1)",
             "task1.t RUNNING", "task2.t RUNNING",
             "task1.t SUCCESS(5)", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task1.t REVERTING",
             "task2.t REVERTED(None)", "task1.t REVERTED(None)",
             "r.r RETRYING",
             "task1.t PENDING",
             "task2.t PENDING",
             "r.r RUNNING", "r.r SUCCESS(2)",
             "task1.t RUNNING", "task2.t RUNNING",
             "task1.t SUCCESS(5)", "task2.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_flow_reverts_parent_retries")]
    public void Run_InnerRetryGivesUp_ParentRetryRetriesEverything()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("conditional", name: "task2")
                .WithRetry(Retry.Times(0, name: "r2", provides: "x2")))
            .WithRetry(Retry.Times(3, name: "r1", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "r2.r RUNNING", "r2.r SUCCESS(1)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r2.r REVERTING", "r2.r REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r RETRYING",
             "task1.t PENDING",
             "r2.r PENDING",
             "task2.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(2)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "r2.r RUNNING", "r2.r SUCCESS(1)",
             "task2.t RUNNING", "task2.t SUCCESS(None)",
             "flow-1.f SUCCESS"],
            driver.Capture);
        // The parent's history records the inner retry's giving up under the inner retry's name (RetryAction.on_failure).
        Assert.True(driver.Engine.GetRetryHistory(driver.Id("r1"))[0].Failures.ContainsKey("r2"));
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_flow_with_retry_revert")]
    public void Run_NestedRetryRevertsWithoutParentRetry_EarlierTasksStaySucceeded()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("conditional", name: "task2", inject: ("x", 1))
                .WithRetry(Retry.Times(0, name: "r1", provides: "x2"))), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_flow_with_retry_revert_all")]
    public void Run_NestedTimesRetryWithRevertAll_RevertsEverything()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("conditional", name: "task2", inject: ("x", 1))
                .WithRetry(Retry.Times(0, revertAll: true, name: "r1", provides: "x2"))), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_revert_all_retry")]
    public void Run_InnerAlwaysRevertAll_OverridesTheParentRetry()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("conditional", name: "task2")
                .WithRetry(Retry.AlwaysRevertAll(name: "r2")))
            .WithRetry(Retry.Times(3, name: "r1", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "task1.t RUNNING", "task1.t SUCCESS(5)",
             "r2.r RUNNING", "r2.r SUCCESS(None)",
             "task2.t RUNNING", $"task2.t FAILURE({Woot})",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "r2.r REVERTING", "r2.r REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_restart_reverted_flow_with_retry")]
    public void Run_CustomRetryThatReverts_EndsRevertedAndStaysReverted()
    {
        // TaskFlow runs the reverted engine a second time (reset) and it reverts again. Here a finished run is final: a new
        // run starts a new flow, and resuming a REVERTED run does nothing.
        var driver = _tasks.Drive(Flow.Linear("test").Add("failing", name: "fail").WithRetry(Retry.Custom("one-return", provides: "x")));

        driver.Start();
        var state = driver.RunToEnd();
        var resume = driver.Resume();

        Assert.Equal(FlowState.Reverted, state);
        Assert.True(resume.IsEmpty);
        Assert.Equal(
            ["test.f RUNNING",
             "test_retry.r RUNNING", "test_retry.r SUCCESS(1)",
             "fail.t RUNNING", $"fail.t FAILURE({Woot})",
             "fail.t REVERTING", "fail.t REVERTED(None)",
             "test_retry.r REVERTING", "test_retry.r REVERTED(None)",
             "test.f REVERTED"],
            driver.Capture);
    }

    // ---- the strongest decision wins (release note fix-revert-all-revert) ----

    private FlowBuilder UnorderedRetriesFlow(string revertAllRetry) => Flow.Linear("test")
        .Add("noop", name: "task1")
        .Add(Flow.Unordered("unordered_flow")
            .Add(Flow.Linear("subflow1")
                .Add(Flow.Linear("subflow1.subsubflow1")
                    .Add("succeeds-third-time", name: "subflow1.fail1")
                    .WithRetry(Retry.Custom("retry-five-times")))
                .Add(Flow.Linear("subflow1.subsubflow2")
                    .Add("failing", name: "subflow1.fail2")
                    .WithRetry(Retry.Custom(revertAllRetry))))
            .Add(Flow.Linear("subflow2")
                .Add(Flow.Linear("subflow2.subsubflow1")
                    .Add("failing", name: "subflow2.fail1")
                    .WithRetry(Retry.Custom("always-retry")))));

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_restart_reverted_unordered_flows_with_retries")]
    public void Run_ParallelSubflowKeepsRetryingAfterRevertAll_RevertAllWinsAndEverythingReverts()
    {
        // TaskFlow once lost a REVERT_ALL decided by one subflow when a parallel subflow's retry then said RETRY: the flow kept
        // retrying and task1 was never reverted. Here a RETRY of a retry that is already reverting is not applied.
        var attempts = 0;
        _tasks.Task("succeeds-third-time", execute: _ => ++attempts >= 3 ? null : throw new RuntimeError("Woot!"));
        var driver = _tasks.Drive(UnorderedRetriesFlow("retry-five-times"));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd(maxCompletions: 1000));
        Assert.Contains("task1.t REVERTED(None)", driver.Capture);
        // Everything that ran is reverted; the always-retry subflow, caught between two attempts, is left PENDING.
        Assert.All(driver.Flow.Atoms, atom => Assert.Contains(driver.Engine.GetState(atom.Id), new[] { AtomState.Reverted, AtomState.Pending }));
        var revertAllStep = driver.Steps.FindIndex(s => s.Resolutions.Any(r => r.Strategy == ResolutionStrategy.RevertAll));
        Assert.True(revertAllStep >= 0);
        Assert.Equal(
            new FailureResolution(driver.Id("subflow1.fail2"), null, ResolutionStrategy.RevertAll, Applied: true),
            Assert.Single(driver.Steps[revertAllStep].Resolutions));
        var later = driver.Steps.Skip(revertAllStep + 1).ToList();
        Assert.All(later.SelectMany(s => s.Resolutions), resolution => Assert.False(resolution.Applied));
        Assert.DoesNotContain(later.SelectMany(s => s.Changes), change => EngineDriver.Render(driver.Flow, change).EndsWith(" RETRYING", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_restart_reverted_unordered_flows_with_retries")]
    public void OnExecuteFailed_RetryDecidedAfterRevertAllInParallelSubflow_IsNotApplied()
    {
        // The exact interleaving of TaskFlow's bug: REVERT_ALL first, then a parallel subflow's retry says RETRY.
        var driver = _tasks.Drive(Flow.Unordered("u")
            .Add(Flow.Linear("doomed").Add("failing", name: "a").WithRetry(Retry.AlwaysRevertAll(name: "ra")))
            .Add(Flow.Linear("retried").Add("failing", name: "b").WithRetry(Retry.Custom("always-retry", name: "rb"))));

        driver.Start();
        driver.Complete("ra");
        driver.Complete("rb");
        var revertAll = driver.Complete("a");
        var retry = driver.Complete("b");

        Assert.Equal(new FailureResolution(driver.Id("a"), null, ResolutionStrategy.RevertAll, Applied: true), Assert.Single(revertAll.Resolutions));
        Assert.Equal(new FailureResolution(driver.Id("b"), driver.Id("rb"), ResolutionStrategy.RevertAndRetry, Applied: false), Assert.Single(retry.Resolutions));
        Assert.Equal(Intention.Revert, driver.Engine.GetIntention(driver.Id("rb")));
        Assert.Equal(["b"], driver.Names(retry.Revert));
        // The retry was still asked (its history records the failure), as TaskFlow asks before choosing a strategy.
        Assert.True(driver.Engine.GetRetryHistory(driver.Id("rb"))[0].Failures.ContainsKey("b"));
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.DoesNotContain("rb.r RETRYING", driver.Capture);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
    }

    [Fact]
    public void Run_RetryDecidedFirstThenRevertAllInParallelSubflow_RevertAllWins()
    {
        // The reverse order: a subflow is being retried when a parallel subflow decides REVERT_ALL; the retry is turned into a revert.
        var driver = _tasks.Drive(Flow.Unordered("u")
            .Add(Flow.Linear("retried").Add("failing", name: "a").WithRetry(Retry.Custom("always-retry", name: "ra")))
            .Add(Flow.Linear("doomed").Add("failing", name: "b").WithRetry(Retry.AlwaysRevertAll(name: "rb"))));

        driver.Start();
        driver.Complete("ra");
        driver.Complete("rb");
        var retry = driver.Complete("a");
        var revertAll = driver.Complete("b");

        Assert.Equal(ResolutionStrategy.RevertAndRetry, Assert.Single(retry.Resolutions).Strategy);
        Assert.Equal(new FailureResolution(driver.Id("b"), null, ResolutionStrategy.RevertAll, Applied: true), Assert.Single(revertAll.Resolutions));
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.DoesNotContain("ra.r RETRYING", driver.Capture);
        Assert.Equal(["ra.r REVERTING", "ra.r REVERTED(None)"], driver.Capture.Where(l => l.StartsWith("ra.r REVERT", StringComparison.Ordinal)));
    }

    // ---- resuming persisted progress ----

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resume_flow_that_had_been_interrupted_during_retrying")]
    public void Resume_RetryLeftRetrying_ResetsItsSubflowAndRunsItAgain()
    {
        var flow = _tasks.Compile(Flow.Linear("flow-1")
            .Add("progressing", name: "t1").Add("progressing", name: "t2").Add("progressing", name: "t3")
            .WithRetry(Retry.Times(3, name: "r1")));
        var memento = Mementos.Of(flow, FlowState.Pending, new Dictionary<string, AtomState>
        {
            ["r1"] = AtomState.Retrying, ["t1"] = AtomState.Pending, ["t2"] = AtomState.Reverted, ["t3"] = AtomState.Reverted,
        });
        var driver = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);

        driver.Resume();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "t2.t PENDING",
             "t3.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "t1.t RUNNING", "t1.t SUCCESS(5)",
             "t2.t RUNNING", "t2.t SUCCESS(5)",
             "t3.t RUNNING", "t3.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_resume_flow_that_should_be_retried")]
    public void Resume_RetryWithIntentionRetryAndSubflowReverted_RetriesTheSubflow()
    {
        var flow = _tasks.Compile(Flow.Linear("flow-1")
            .Add("progressing", name: "t1").Add("progressing", name: "t2")
            .WithRetry(Retry.Times(3, name: "r1")));
        var memento = Mementos.Of(flow, FlowState.Pending,
            new Dictionary<string, AtomState> { ["r1"] = AtomState.Success, ["t1"] = AtomState.Reverted, ["t2"] = AtomState.Reverted },
            new Dictionary<string, Intention> { ["r1"] = Intention.Retry });
        var driver = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);

        driver.Resume();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RETRYING",
             "t1.t PENDING",
             "t2.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "t1.t RUNNING", "t1.t SUCCESS(5)",
             "t2.t RUNNING", "t2.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_retry_tasks_that_has_not_been_reverted")]
    public void Run_FirstTaskFails_LaterTasksThatNeverRanAreNotReset()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("conditional", name: "c")
            .Add("progressing", name: "t1")
            .WithRetry(Retry.Times(3, name: "r1", provides: "x")), Inputs(("y", 2)));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r SUCCESS(1)",
             "c.t RUNNING", $"c.t FAILURE({Woot})",
             "c.t REVERTING", "c.t REVERTED(None)",
             "r1.r RETRYING",
             "c.t PENDING",
             "r1.r RUNNING", "r1.r SUCCESS(2)",
             "c.t RUNNING", "c.t SUCCESS(None)",
             "t1.t RUNNING", "t1.t SUCCESS(5)",
             "flow-1.f SUCCESS"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_default_times_retry")]
    public void Run_TimesThreeAlwaysFailing_ThreeAttemptsThenReverted()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "t1")
            .Add("failing", name: "t2")
            .WithRetry(Retry.Times(3, name: "r1")));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        string[] attempt(int n, bool last) =>
        [
            "r1.r RUNNING", $"r1.r SUCCESS({n})",
            "t1.t RUNNING", "t1.t SUCCESS(5)",
            "t2.t RUNNING", $"t2.t FAILURE({Woot})",
            "t2.t REVERTING", "t2.t REVERTED(None)",
            "t1.t REVERTING", "t1.t REVERTED(None)",
            .. last ? ["r1.r REVERTING", "r1.r REVERTED(None)"] : new[] { "r1.r RETRYING", "t1.t PENDING", "t2.t PENDING" },
        ];
        Assert.Equal(["flow-1.f RUNNING", .. attempt(1, false), .. attempt(2, false), .. attempt(3, true), "flow-1.f REVERTED"], driver.Capture);
    }
}
