using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// TaskFlow's <c>taskflow/tests/unit/test_engines.py</c>: link deciders and their depths, several failures at once, and
/// the basic patterns, asserting the same ordered capture. Where TaskFlow compares as a set or a subsequence (parallel
/// engines), the exact order our engine produces is asserted and the test says so.
/// </summary>
public sealed class EngineScenarioTests
{
    private readonly FakeTaskCatalog _tasks = Catalog()
        .Decider("no", _ => false)
        .Decider("yes", _ => true);

    private const string Woot = "Failure: RuntimeError: Woot!";

    private static List<string> Atoms(EngineDriver driver) => [.. driver.Capture.Where(line => !line.Contains(".f ", StringComparison.Ordinal))];

    private EngineDriver Run(FlowBuilder flow, Dictionary<string, object?>? inputs = null)
    {
        var driver = _tasks.Drive(flow, inputs);
        driver.Start();
        driver.RunToEnd();
        return driver;
    }

    // ---- EngineDeciderDepthTest ----

    [Theory]
    [Trait("TaskFlow", "test_engines.EngineDeciderDepthTest.test_run_graph_flow_decider_various_depths")]
    [InlineData(DeciderDepth.All, 1)]
    [InlineData(DeciderDepth.Atom, 4)]
    [InlineData(DeciderDepth.Flow, 2)]
    [InlineData(DeciderDepth.Neighbors, 3)]
    public void Run_NoDeciderAtEachDepth_IgnoresWhatTheDepthReaches(DeciderDepth depth, int ran)
    {
        var driver = Run(Flow.Graph("g")
            .Add("progressing", name: "g-1")
            .Add("progressing", name: "g-2")
            .Add(Flow.Graph("g_1").Add("progressing", name: "g_1-1"))
            .Add("progressing", name: "g-3")
            .Add("progressing", name: "g-4")
            .Link("g-1", "g-2", decider: "no", depth: depth)
            .Link("g-2", "g_1")
            .Link("g-2", "g-3")
            .Link("g-3", "g-4")
            .Link("g-1", "g_1", decider: "yes", depth: depth));

        Assert.Equal(ran, driver.Capture.Count(line => line.EndsWith(" RUNNING", StringComparison.Ordinal) && !line.Contains(".f ", StringComparison.Ordinal)));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineDeciderDepthTest.test_run_graph_flow_decider_jump_over_atom")]
    public void Run_AtomDepthNo_NextAtomRunsOverTheIgnoredOne()
    {
        // TaskFlow adds these with resolve_requires=False and lets 'c' find 'a's value because the nearer provider 'b' has no
        // result. Here bindings are decided at compile time, so 'c' is bound to 'a's value by name.
        var driver = Run(Flow.Graph("g")
            .Add("add-one-same", name: "a", provides: "a-value", inject: ("value", 0))
            .Add("add-one-same", name: "b", provides: "b-value", rebind: ("value", "a-value"))
            .Add("add-one-same", name: "c", provides: "c-value", rebind: ("value", "a-value"))
            .Link("a", "b", decider: "no", depth: DeciderDepth.Atom)
            .Link("b", "c"));

        Assert.Equal(2, driver.Store.GetResults().Named["c-value"]);
        Assert.Equal(AtomState.Ignore, driver.State("b"));
        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(1)", "b.t IGNORE", "c.t RUNNING", "c.t SUCCESS(2)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineDeciderDepthTest.test_run_graph_flow_decider_jump_over_bad_atom")]
    public void Run_AtomDepthNoOnFailingTask_FlowSucceedsWithoutRunningIt()
    {
        var driver = Run(Flow.Graph("g")
            .Add("noop", name: "a").Add("failing", name: "b").Add("noop", name: "c")
            .Link("a", "b", decider: "no", depth: DeciderDepth.Atom)
            .Link("b", "c"));

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(None)", "b.t IGNORE", "c.t RUNNING", "c.t SUCCESS(None)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineDeciderDepthTest.test_run_graph_flow_decider_revert")]
    public void Run_FailureAfterIgnoredAtom_RevertWaitsThroughTheIgnoredAtom()
    {
        var driver = Run(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("failing", name: "c")
            .Link("a", "b", decider: "no", depth: DeciderDepth.Atom)
            .Link("b", "c"));

        Assert.Equal(FlowState.Reverted, driver.Engine.State);
        Assert.Equal(
            ["a.t RUNNING", "a.t SUCCESS(None)",
             "b.t IGNORE",
             "c.t RUNNING", $"c.t FAILURE({Woot})",
             "c.t REVERTING", "c.t REVERTED(None)",
             "a.t REVERTING", "a.t REVERTED(None)"],
            Atoms(driver));
    }

    // ---- EngineGraphConditionalFlowTest ----

    private (FakeTaskCatalog Catalog, List<IReadOnlyDictionary<string, object?>> Histories) Recording(bool answer)
    {
        var histories = new List<IReadOnlyDictionary<string, object?>>();
        _tasks.Decider("should-go", history =>
        {
            histories.Add(new Dictionary<string, object?>(history));
            return answer;
        });
        return (_tasks, histories);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional_jumps_across_2")]
    public void Run_NoIntoSubflowOfSubflow_IgnoresEveryNestedTaskAndAsksOnce()
    {
        var (_, histories) = Recording(false);

        var driver = Run(Flow.Graph("main-work")
            .Add("progressing", name: "task1")
            .Add("progressing", name: "task2")
            .Link("task1", "task2")
            .Add(Flow.Linear("more-work").Add(Flow.Linear("more-more-work").Add("progressing", name: "task3").Add("progressing", name: "task4")))
            .Link("task2", "more-work", decider: "should-go"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t IGNORE", "task4.t IGNORE"],
            Atoms(driver));
        Assert.Equal(5, Assert.Single(histories)["task2"]);
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional_jumps_across")]
    public void Run_TwoDecidersIntoOneSubflow_BothAskedWithBothResults()
    {
        var (_, histories) = Recording(false);

        var driver = Run(Flow.Graph("main-work")
            .Add("progressing", name: "task1")
            .Add("progressing", name: "task2")
            .Link("task1", "task2")
            .Add(Flow.Linear("more-work").Add("progressing", name: "task3").Add("progressing", name: "task4"))
            .Link("task2", "more-work", decider: "should-go")
            .Link("task1", "more-work", decider: "should-go"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t IGNORE", "task4.t IGNORE"],
            Atoms(driver));
        Assert.Equal(2, histories.Count);
        Assert.All(histories, history => Assert.Equal(["task1", "task2"], history.Keys.Order()));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional")]
    public void Run_NoOnOneBranchYesOnAnother_OnlyTheYesBranchRuns()
    {
        // TaskFlow compares as a set.
        var driver = Run(Flow.Graph("root")
            .Add("progressing", name: "task1").Add("progressing", name: "task2").Add("progressing", name: "task2_2").Add("progressing", name: "task3")
            .Link("task1", "task2", decider: "no")
            .Link("task2", "task2_2")
            .Link("task1", "task3", decider: "yes"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t IGNORE", "task2_2.t IGNORE",
             "task3.t RUNNING", "task3.t SUCCESS(5)"],
            Atoms(driver));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional_ignore_reset")]
    public void Run_DeciderSaysNoThenYesInANewRun_IgnoredThenRun()
    {
        // TaskFlow resets the same engine between the two runs; here each run is a new engine.
        var allow = false;
        _tasks.Decider("allow", _ => allow);
        var flow = Flow.Graph("root")
            .Add("progressing", name: "task1").Add("progressing", name: "task2").Add("progressing", name: "task3")
            .Link("task1", "task2")
            .Link("task2", "task3", decider: "allow");

        var first = Run(flow);
        allow = true;
        var second = Run(flow);

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)", "task3.t IGNORE"], Atoms(first));
        Assert.Equal(AtomState.Ignore, first.State("task3"));
        Assert.Equal(Intention.Ignore, first.Engine.GetIntention(first.Id("task3")));
        Assert.Equal(FlowState.Success, first.Engine.State);
        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)", "task3.t RUNNING", "task3.t SUCCESS(5)"], Atoms(second));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_diamond_ignored")]
    public void Run_DiamondWithOneNoIntoTheJoin_JoinIsIgnored()
    {
        var driver = Run(Flow.Graph("root")
            .Add("progressing", name: "task1").Add("progressing", name: "task2").Add("progressing", name: "task3").Add("progressing", name: "task4")
            .Link("task1", "task2")
            .Link("task2", "task4", decider: "no")
            .Link("task1", "task3")
            .Link("task3", "task4", decider: "yes"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task3.t RUNNING",
             "task2.t SUCCESS(5)", "task3.t SUCCESS(5)",
             "task4.t IGNORE"],
            Atoms(driver));
        Assert.Equal(Intention.Ignore, driver.Engine.GetIntention(driver.Id("task4")));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Theory]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional_history")]
    [InlineData(1, "task2", "task3")]
    [InlineData(0, "task3", "task2")]
    public void Run_DecidersReadTheSourceResult_TheMatchingBranchRuns(int y, string runs, string ignored)
    {
        static bool TotalIs(IReadOnlyDictionary<string, object?> history, int allowed) => history.Values.Sum(v => (int)v!) == allowed;
        _tasks.Decider("total-is-2", history => TotalIs(history, 2)).Decider("total-is-1", history => TotalIs(history, 1));

        var driver = Run(Flow.Graph("root")
            .Add("multi-arg-one-return", name: "task1")
            .Add("progressing", name: "task2").Add("progressing", name: "task2_2")
            .Add("progressing", name: "task3").Add("progressing", name: "task3_3")
            .Link("task1", "task2", decider: "total-is-2")
            .Link("task2", "task2_2")
            .Link("task1", "task3", decider: "total-is-1")
            .Link("task3", "task3_3"), Inputs(("x", 0), ("y", y), ("z", 1)));

        Assert.Contains($"task1.t SUCCESS({1 + y})", driver.Capture);
        Assert.Equal(AtomState.Success, driver.State(runs));
        Assert.Equal(AtomState.Success, driver.State(runs + "_" + runs[^1]));
        Assert.Equal(AtomState.Ignore, driver.State(ignored));
        Assert.Equal(AtomState.Ignore, driver.State(ignored + "_" + ignored[^1]));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    public void Run_DeciderThrows_FlowEndsFailureWithTheEngineFailure()
    {
        // TaskFlow retains an exception raised while selecting the next atoms and ends FAILURE.
        _tasks.Decider("broken", _ => throw new InvalidOperationException("decider bug"));

        var driver = Run(Flow.Graph("g").Add("progressing", name: "a").Add("progressing", name: "b").Link("a", "b", decider: "broken"));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal("decider bug", Assert.Single(driver.Engine.EngineFailures).Message);
        Assert.Equal(AtomState.Pending, driver.State("b"));
    }

    [Fact]
    public void Run_DeciderOnLinkFromSubflow_IsAskedWithoutThatSubflowsResults()
    {
        // Only atoms at the source of a decided link contribute results; a link from a subflow contributes none.
        var (_, histories) = Recording(true);

        var driver = Run(Flow.Graph("g")
            .Add(Flow.Linear("sub").Add("progressing", name: "a"))
            .Add("progressing", name: "b")
            .Link("sub", "b", decider: "should-go"));

        Assert.Empty(Assert.Single(histories));
        Assert.Equal(AtomState.Success, driver.State("b"));
    }

    [Fact]
    public void Run_DeciderIntoFlowWithRetry_IgnoresTheRetryAndEverythingAfter()
    {
        // The retry is the first atom of its flow, so a "no" on a link into the flow lands on it (TaskFlow does not walk past retries).
        var driver = Run(Flow.Graph("g")
            .Add("progressing", name: "a")
            .Add(Flow.Linear("sub").Add("progressing", name: "b").WithRetry(Retry.Times(2, name: "r")))
            .Link("a", "sub", decider: "no"));

        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(5)", "r.r IGNORE", "b.t IGNORE"], Atoms(driver));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    public void Restore_DeciderAskedAfterRestore_SeesTheSourceResultFromBeforeIt()
    {
        // task3 waits for task2, but its decider reads task1's result: captured before the restore, kept in the memento.
        var seen = new List<object?>();
        _tasks.Decider("task1-is-2", history =>
        {
            seen.Add(history["task1"]);
            return (int)history["task1"]! == 2;
        });
        var inputs = Inputs(("x", 0), ("y", 1), ("z", 1));
        var original = _tasks.Drive(Flow.Graph("root")
            .Add("multi-arg-one-return", name: "task1")
            .Add("progressing", name: "task2")
            .Add("progressing", name: "task3")
            .Link("task1", "task2")
            .Link("task2", "task3")
            .Link("task1", "task3", decider: "task1-is-2"), inputs);
        original.Start();
        original.Complete("task1");

        var restored = new EngineDriver(Core.Engine.FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks, inputs);
        restored.Resume();
        restored.RunToEnd();

        Assert.Equal([2], seen);
        Assert.Equal(AtomState.Success, restored.State("task3"));
    }

    // ---- several failures at once, and reverts through nested patterns ----

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_parallel_revert")]
    public void Run_UnorderedFlowOneFails_EverythingThatRanReverts()
    {
        var driver = Run(Flow.Unordered("p-r-3").Add("noop", name: "task1").Add("failing", name: "fail").Add("noop", name: "task2"));

        Assert.Contains($"fail.t FAILURE({Woot})", driver.Capture);
        Assert.Equal(FlowState.Reverted, driver.Engine.State);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_parallel_revert_exception_is_reraised")]
    public void Run_RevertFailsInUnorderedSubflow_EndsFailure()
    {
        var driver = Run(Flow.Linear("p-r-r-l")
            .Add(Flow.Unordered("p-r-r").Add("noop", name: "task1").Add("nasty", name: "nasty"))
            .Add("failing", name: "fail"));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Contains("nasty.t REVERT_FAILURE(Failure: RuntimeError: Gotcha!)", driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearAndUnorderedExceptionsTest.test_revert_ok_for_unordered_in_linear")]
    public void Run_FailureInUnorderedSubflow_SiblingAndEarlierTasksRevertInOrder()
    {
        // TaskFlow checks subsequences (task3 may or may not have run); with our completion order it ran.
        var driver = Run(Flow.Linear("p-root")
            .Add("progressing", name: "task1").Add("progressing", name: "task2")
            .Add(Flow.Unordered("p-inner").Add("progressing", name: "task3").Add("failing", name: "fail")));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t RUNNING", "fail.t RUNNING",
             "task3.t SUCCESS(5)", $"fail.t FAILURE({Woot})",
             "fail.t REVERTING", "task3.t REVERTING",
             "fail.t REVERTED(None)", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)"],
            Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearAndUnorderedExceptionsTest.test_revert_raises_for_unordered_in_linear")]
    public void Run_RevertFailsInUnorderedSubflow_EarlierTasksAreNotReverted()
    {
        var driver = Run(Flow.Linear("p-root")
            .Add("progressing", name: "task1").Add("progressing", name: "task2")
            .Add(Flow.Unordered("p-inner").Add("progressing", name: "task3").Add("nasty-failing", name: "nasty")));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t RUNNING", "task3.t SUCCESS(5)",
             "task3.t REVERTING", "task3.t REVERTED(None)"],
            Atoms(driver).Where(line => !line.StartsWith("nasty.", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearAndUnorderedExceptionsTest.test_revert_ok_for_linear_in_unordered")]
    public void Run_FailureInLinearSubflowOfUnorderedFlow_ParallelTaskRevertsToo()
    {
        var driver = Run(Flow.Unordered("p-root")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("p-inner").Add("progressing", name: "task2").Add("failing", name: "fail")));

        Assert.Equal(FlowState.Reverted, driver.Engine.State);
        Assert.Equal(
            ["task1.t RUNNING", "task2.t RUNNING",
             "task1.t SUCCESS(5)", "task2.t SUCCESS(5)",
             "fail.t RUNNING", $"fail.t FAILURE({Woot})",
             "fail.t REVERTING", "task1.t REVERTING",
             "fail.t REVERTED(None)",
             "task2.t REVERTING",
             "task1.t REVERTED(None)", "task2.t REVERTED(None)"],
            Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearAndUnorderedExceptionsTest.test_revert_raises_for_linear_in_unordered")]
    public void Run_RevertFailsInLinearSubflowOfUnorderedFlow_TaskBeforeItIsNotReverted()
    {
        var driver = Run(Flow.Unordered("p-root")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("p-inner").Add("progressing", name: "task2").Add("nasty-failing", name: "nasty")));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.DoesNotContain("task2.t REVERTED(None)", driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_four_tasks_revert")]
    public void Run_GraphChainThirdFails_RevertsBackToTheFirst()
    {
        var driver = Run(Flow.Graph("g-4-failing")
            .Add("progressing", name: "task4", provides: "d", requires: "c")
            .Add("progressing", name: "task2", provides: "b", requires: "a")
            .Add("failing", name: "task3", provides: "c", requires: "b")
            .Add("progressing", name: "task1", provides: "a"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t RUNNING", $"task3.t FAILURE({Woot})",
             "task3.t REVERTING", "task3.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)"],
            Atoms(driver));
        Assert.Equal(FlowState.Reverted, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_four_tasks_revert_failure")]
    public void Run_GraphRevertFails_EndsFailure()
    {
        var driver = Run(Flow.Graph("g-3-nasty")
            .Add("nasty", name: "task2", provides: "b", requires: "a")
            .Add("failing", name: "task3", requires: "b")
            .Add("progressing", name: "task1", provides: "a"));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_nasty_revert")]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_revert_exception_is_reraised")]
    public void Run_RevertFails_StorageKeepsBothTheExecuteAndTheRevertFailure()
    {
        var driver = Run(Flow.Linear("revert").Add("nasty", name: "nasty").Add("failing", name: "fail"));

        var results = driver.Store.GetResults();
        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.True(results.Failures.ContainsKey(driver.Id("fail")));
        Assert.Equal("Gotcha!", results.RevertFailures[driver.Id("nasty")].Message);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_revert_not_run_task_is_not_reverted")]
    public void Run_FirstTaskFails_TaskThatNeverRanIsNotReverted()
    {
        _tasks.Task("never-running", execute: _ => throw new InvalidOperationException("This method should not be called"));

        var driver = Run(Flow.Linear("revert-not-run").Add("failing", name: "fail").Add("never-running", name: "never"));

        Assert.Equal(["fail.t RUNNING", $"fail.t FAILURE({Woot})", "fail.t REVERTING", "fail.t REVERTED(None)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_correctly_reverts_children")]
    public void Run_FailureInNestedLinearFlow_RevertsChildrenThenParentTasks()
    {
        var driver = Run(Flow.Linear("root-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("child-1").Add("progressing", name: "task2").Add("failing", name: "fail")));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)",
             "task2.t RUNNING", "task2.t SUCCESS(5)",
             "fail.t RUNNING", $"fail.t FAILURE({Woot})",
             "fail.t REVERTING", "fail.t REVERTED(None)",
             "task2.t REVERTING", "task2.t REVERTED(None)",
             "task1.t REVERTING", "task1.t REVERTED(None)"],
            Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_failing_task_with_notifications")]
    public void Run_SingleFailingTask_FlowAndTaskNotificationsInOrder()
    {
        var driver = Run(Flow.Linear("fail-flow").Add("failing", name: "fail"));

        Assert.Equal(
            ["fail-flow.f RUNNING", "fail.t RUNNING", $"fail.t FAILURE({Woot})", "fail.t REVERTING", "fail.t REVERTED(None)", "fail-flow.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_run_task_with_notifications")]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_sequential_flow_one_task")]
    public void Run_SingleTask_FlowAndTaskNotificationsInOrder()
    {
        var driver = Run(Flow.Linear("task1-flow").Add("progressing", name: "task1"));

        Assert.Equal(["task1-flow.f RUNNING", "task1.t RUNNING", "task1.t SUCCESS(5)", "task1-flow.f SUCCESS"], driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_sequential_flow_two_tasks")]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_sequential_flow_nested_blocks")]
    public void Run_TwoTasksOneNested_RunInOrder()
    {
        var driver = Run(Flow.Linear("nested-1").Add("progressing", name: "task1").Add(Flow.Linear("inner-1").Add("progressing", name: "task2")));

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_parallel_flow_with_priority")]
    public void Start_UnorderedTasksWithPriorities_RunningReportedHighestFirst()
    {
        var flow = Flow.Unordered("p-1");
        for (var i = 0; i < 10; i++)
        {
            flow.Add("progressing", name: $"task{i}", priority: i);
        }

        var driver = _tasks.Drive(flow);
        driver.Start();

        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => $"task{i}.t RUNNING"), Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_parallel_flow_two_tasks")]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_two_independent_tasks")]
    public void Run_TwoIndependentTasks_BothRunAtOnce()
    {
        var driver = Run(Flow.Unordered("p-2").Add("progressing", name: "task1").Add("progressing", name: "task2"));

        Assert.Equal(["task1.t RUNNING", "task2.t RUNNING", "task1.t SUCCESS(5)", "task2.t SUCCESS(5)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_four_tasks_added_separately")]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_two_tasks")]
    public void Run_GraphChainAddedOutOfOrder_RunsInDependencyOrder()
    {
        var driver = Run(Flow.Graph("g-4")
            .Add("progressing", name: "task4", provides: "d", requires: "c")
            .Add("progressing", name: "task2", provides: "b", requires: "a")
            .Add("progressing", name: "task3", provides: "c", requires: "b")
            .Add("progressing", name: "task1", provides: "a"));

        Assert.Equal(
            ["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)",
             "task3.t RUNNING", "task3.t SUCCESS(5)", "task4.t RUNNING", "task4.t SUCCESS(5)"],
            Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_with_multireturn_and_multiargs_tasks")]
    public void Run_GraphOfMultiArgumentTasks_ResultsFlowThroughRebinds()
    {
        _tasks.Task("multi-return", provides: ["a", "b", "c"], execute: _ => new object?[] { 1, 3, 5 });

        var driver = Run(Flow.Graph("g-3-multi")
            .Add("multi-arg-one-return", name: "task1", rebind: new Dictionary<string, string> { ["x"] = "a", ["y"] = "b", ["z"] = "y" }, provides: "z")
            .Add("multi-return", name: "task2")
            .Add("multi-arg-one-return", name: "task3", rebind: new Dictionary<string, string> { ["x"] = "c", ["y"] = "b", ["z"] = "x" }, provides: "y"),
            Inputs(("x", 30)));

        var named = driver.Store.GetResults().Named;
        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(38, named["y"]);
        Assert.Equal(42, named["z"]);
    }
}
