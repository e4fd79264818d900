using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// More of TaskFlow's <c>test_engines.py</c> through the pure engine: single tasks, optional arguments, which of several
/// results a task sees, and what a revert leaves stored. TaskFlow's <c>fetch_all</c> mixes inputs and results; we keep the
/// inputs apart, so these assert the named results and the arguments each task received.
/// </summary>
public sealed class EngineMoreScenarioTests
{
    private readonly FakeTaskCatalog _tasks = Catalog()
        // TaskOneReturn returns 1; TaskMultiReturn (1, 3, 5).
        .Task("one-return", execute: _ => 1)
        .Task("multi-return", execute: _ => (1, 3, 5))
        // AddOne(source) = source + 1, provides result.
        .Task("add-one", required: ["source"], provides: ["result"], execute: args => (int)args["source"]! + 1)
        // OptionalTask(a, b=5) = a * b.
        .Task("optional", required: ["a"], optional: ["b"],
            execute: args => (int)args["a"]! * (args.TryGetValue("b", out var b) && b is int value ? value : 5));

    private const string Woot = "Failure: RuntimeError: Woot!";

    private static List<string> Atoms(EngineDriver driver) => [.. driver.Capture.Where(line => !line.Contains(".f ", StringComparison.Ordinal))];

    private EngineDriver Run(FlowBuilder flow, Dictionary<string, object?>? inputs = null)
    {
        var driver = _tasks.Drive(flow, inputs);
        driver.Start();
        driver.RunToEnd();
        return driver;
    }

    // ---- EngineTaskTest ----

    // TaskFlow runs a bare task as a flow; ours always has a pattern at the top, so the task is its only item.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_run_task_as_flow")]
    public void Run_TaskAsTheOnlyItem_TaskTransitions()
    {
        var driver = Run(Flow.Linear("task1").Add("progressing", name: "task1-task"));

        Assert.Equal(["task1-task.t RUNNING", "task1-task.t SUCCESS(5)"], Atoms(driver));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_nasty_failing_task_exception_reraised")]
    public void Run_TaskFailsAndItsRevertFails_FlowFailsWithTheRevertFailure()
    {
        var driver = Run(Flow.Linear("f").Add("nasty-failing", name: "nasty"));

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal("Gotcha!", driver.Store.GetResults().RevertFailures[driver.Id("nasty")].Message);
    }

    // TaskFlow turns a non-task, non-flow value into a TypeError naming it. Ours is typed; the nearest bad value is a
    // definition without a root, which the compiler reports.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_invalid_flow_raises")]
    [Trait("TaskFlow", "test_engines.EngineTaskTest.test_invalid_flow_raises_from_run")]
    public void Compile_DefinitionWithoutRoot_IsReportedWhenCompiledOrRun()
    {
        var exception = Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(new FlowDefinition { Root = null! }, _tasks, []));
        var fromRun = Assert.Throws<FlowCompilationException>(() => _tasks.Drive(new FlowDefinition { Root = null! }));

        Assert.Equal("empty-flow", Assert.Single(exception.Problems).Code);
        Assert.Equal("empty-flow", Assert.Single(fromRun.Problems).Code);
    }

    // ---- EngineOptionalRequirementsTest ----

    [Theory]
    [Trait("TaskFlow", "test_engines.EngineOptionalRequirementsTest.test_expected_optional_multiplers")]
    [InlineData(null, null, false, 15)]
    [InlineData(null, null, true, 21)]
    [InlineData("a", 10, false, 50)]
    [InlineData("a", 10, true, 70)]
    [InlineData("b", 1000, false, 3000)]
    [InlineData("b", 1000, true, 3000)]
    public void Run_OptionalArgument_InjectedThenInputThenDefault(string? injected, int? value, bool inputB, int expected)
    {
        var inputs = inputB ? Inputs(("a", 3), ("b", 7)) : Inputs(("a", 3));
        var flow = injected is null
            ? Flow.Linear("flow").Add("optional", provides: "result")
            : Flow.Linear("flow").Add("optional", provides: "result", inject: (injected, value));

        Assert.Equal(expected, Run(flow, inputs).Store.GetResults().Named["result"]);
    }

    // ---- EngineMultipleResultsTest ----

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_fetch_with_a_single_result")]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_fetch_all_with_a_single_result")]
    public void Run_OneResult_IsStoredUnderItsName()
    {
        var named = Run(Flow.Linear("flow").Add("one-return", provides: "x")).Store.GetResults().Named;

        Assert.Equal(1, Assert.Single(named, pair => pair.Key == "x").Value);
        Assert.Single(named);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_many_results_visible_to")]
    public void Run_SameNameProvidedInChain_EachTaskSeesThePreviousResult()
    {
        var driver = Run(Flow.Linear("flow")
            .Add("add-one-same", name: "a", rebind: ("value", "source"))
            .Add("add-one-same", name: "b")
            .Add("add-one-same", name: "c"), Inputs(("source", 0)));

        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(1)", "b.t RUNNING", "b.t SUCCESS(2)", "c.t RUNNING", "c.t SUCCESS(3)"], Atoms(driver));
    }

    // Inputs come before results in the lookup, as TaskFlow's scoping docs say: every task sees the input.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_many_results_storage_provided_visible_to")]
    public void Run_SameNameAsAnInput_EveryTaskSeesTheInput()
    {
        var driver = Run(Flow.Linear("flow")
            .Add("add-one-same", name: "a")
            .Add("add-one-same", name: "b")
            .Add("add-one-same", name: "c"), Inputs(("value", 0)));

        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(1)", "b.t RUNNING", "b.t SUCCESS(1)", "c.t RUNNING", "c.t SUCCESS(1)"], Atoms(driver));
    }

    // TaskFlow's storage answers x with the input (0) and lists both values in fetch_all; ours keeps the input and the task's
    // result apart: the task's argument is the input, its result is stored under x.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_task_can_update_value")]
    public void Run_TaskRequiresAndProvidesX_ReadsTheInputAndStoresItsResult()
    {
        var driver = Run(Flow.Linear("flow").Add("add-one-same", name: "t", rebind: ("value", "x"), provides: "x"), Inputs(("x", 0)));

        Assert.Equal(["t.t RUNNING", "t.t SUCCESS(1)"], Atoms(driver));
        Assert.Equal(1, driver.Store.GetResults().Named["x"]);
    }

    // ---- EngineLinearFlowTest ----

    // TaskFlow runs an empty flow through RESUMING..SUCCESS; ours refuses a flow without tasks when it is compiled.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_run_empty_linear_flow")]
    public void Compile_EmptyLinearFlow_IsReported()
    {
        var exception = Assert.Throws<FlowCompilationException>(() => _tasks.Compile(Flow.Linear("flow-1")));

        Assert.Equal("empty-flow", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_overlap_parent_sibling_expected_result")]
    public void Run_SubflowReadsTheNearestOfTwoParentSiblings()
    {
        var driver = Run(Flow.Linear("flow-1")
            .Add("progressing", provides: "source")
            .Add("one-return", provides: "source")
            .Add(Flow.Linear("flow-2").Add("add-one")));

        Assert.Equal(2, driver.Store.GetResults().Named["result"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_overlap_parent_expected_result")]
    public void Run_SubflowSiblingShadowsTheParentsProvider()
    {
        var driver = Run(Flow.Linear("flow-1")
            .Add("progressing", provides: "source")
            .Add(Flow.Linear("flow-2").Add("one-return", provides: "source").Add("add-one")));

        Assert.Equal(2, driver.Store.GetResults().Named["result"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_overlap_sibling_expected_result")]
    public void Run_LaterSiblingShadowsTheEarlierProvider()
    {
        var driver = Run(Flow.Linear("flow-1")
            .Add("progressing", provides: "source")
            .Add("one-return", provides: "source")
            .Add("add-one"));

        Assert.Equal(2, driver.Store.GetResults().Named["result"]);
    }

    // TaskFlow's run_iter yields engine states; our engine is driven step by step, with the same atom transitions.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_sequential_flow_two_tasks_iter")]
    public void Run_StepByStep_TwoTasksInOrder()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-2").Add("progressing", name: "task1").Add("progressing", name: "task2"));
        var steps = 0;
        var step = driver.Start();
        while (driver.Outstanding.Count > 0)
        {
            var next = driver.Outstanding.First();
            driver.Complete(driver.Name(next.Atom));
            steps++;
        }

        Assert.Equal(2, steps);
        Assert.NotNull(step);
        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)"], Atoms(driver));
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    // TaskFlow runs empty flows through RESUMING..SUCCESS; ours refuses a flow without tasks (nested empty patterns included)
    // when it is compiled.
    [Theory]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_run_empty_unordered_flow")]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_run_empty_graph_flow")]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_run_empty_nested_graph_flows")]
    [InlineData(PatternKind.Unordered, false)]
    [InlineData(PatternKind.Graph, false)]
    [InlineData(PatternKind.Graph, true)]
    public void Compile_EmptyFlow_IsReported(PatternKind kind, bool nested)
    {
        var flow = kind == PatternKind.Unordered ? Flow.Unordered("p-1") : Flow.Graph("g-1");
        if (nested)
        {
            flow.Add(Flow.Linear("l-1")).Add(Flow.Graph("g-2"));
        }

        var exception = Assert.Throws<FlowCompilationException>(() => _tasks.Compile(flow));

        Assert.Equal("empty-flow", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_parallel_flow_one_task")]
    public void Run_UnorderedOneTask_StoresItsResult()
    {
        var driver = Run(Flow.Unordered("p-1").Add("progressing", name: "task1", provides: "a"));

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)"], Atoms(driver));
        Assert.Equal(5, Assert.Single(driver.Store.GetResults().Named).Value);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_graph_flow_one_task")]
    public void Run_GraphOneTask_Runs()
    {
        var driver = Run(Flow.Graph("g-1").Add("progressing", name: "task1"));

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)"], Atoms(driver));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_task_graph_property")]
    [Trait("TaskFlow", "test_engines.EngineGraphFlowTest.test_task_graph_property_for_one_task")]
    public void Compile_ExecutionGraph_HasANodePerAtomAndPatternMarkers()
    {
        var two = _tasks.Compile(Flow.Graph("test").Add("noop", name: "task1").Add("noop", name: "task2"));
        var one = _tasks.Compile(Flow.Linear("test").Add("noop", name: "task1"));

        Assert.Equal(2, two.AtomCount);
        Assert.True(two.NodeCount > two.AtomCount);
        Assert.Equal(1, one.AtomCount);
        Assert.True(one.IsAtom(0));
        Assert.DoesNotContain(two.PredecessorsOf(1).ToArray(), two.IsAtom);
    }

    // TaskFlow raises MissingDependencies from validate(); ours reports every missing name when the flow is compiled.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMissingDepsTest.test_missing_deps_deep")]
    public void Compile_ManyMissingRequirements_ReportsEachOne()
    {
        var exception = Assert.Throws<FlowCompilationException>(() => _tasks.Compile(Flow.Graph("missing-many")
            .Add("one-return", name: "task1", requires: new[] { "a", "b", "c" })
            .Add("multi-arg-one-return", name: "task2", rebind: Rebind.Create([("x", "e"), ("y", "f"), ("z", "g")]))));

        Assert.All(exception.Problems, problem => Assert.Equal("missing-requirement", problem.Code));
        Assert.Equal(["a", "b", "c", "e", "f", "g"],
            exception.Problems.Select(p => System.Text.RegularExpressions.Regex.Match(p.Message, "requires '([a-z]+)'").Groups[1].Value).Order(StringComparer.Ordinal));
    }

    // TaskFlow resets a finished engine and runs it again; ours does not reset a finished run (docs/design.md): resuming it
    // runs nothing, and a new run of the same compiled flow gives the same transitions.
    [Theory]
    [Trait("TaskFlow", "test_engines.EngineResetTests.test_completed_reset_run_again")]
    [Trait("TaskFlow", "test_engines.EngineResetTests.test_failed_reset_run_again")]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_FinishedRun_ResumeRunsNothingAndANewRunRepeatsTheTrace(bool fails)
    {
        var flow = Flow.Linear("root").Add("progressing", name: "task1").Add("progressing", name: "task2")
            .Add(fails ? "failing" : "progressing", name: "task3");
        string[] expected = fails
            ? ["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)", "task3.t RUNNING",
               $"task3.t FAILURE({Woot})", "task3.t REVERTING", "task3.t REVERTED(None)",
               "task2.t REVERTING", "task2.t REVERTED(None)", "task1.t REVERTING", "task1.t REVERTED(None)"]
            : ["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)", "task3.t RUNNING", "task3.t SUCCESS(5)"];

        var first = Run(flow);
        Assert.Equal(expected, Atoms(first));
        var before = first.Capture.Count;
        first.Resume();
        first.RunToEnd();
        Assert.Equal(before, first.Capture.Count);

        var again = new EngineDriver(first.Flow, _tasks);
        again.Start();
        again.RunToEnd();
        Assert.Equal(expected, Atoms(again));
        Assert.Equal(fails ? FlowState.Reverted : FlowState.Success, again.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineCheckingTaskTest.test_flow_failures_are_passed_to_revert")]
    public void Run_Revert_GetsItsResultAndTheFlowFailures()
    {
        _tasks.Task("checking", execute: _ => "RESULT");
        var driver = Run(Flow.Linear("test").Add("checking", name: "checking").Add("failing", name: "fail1"));

        var prepared = driver.Store.PrepareRevert(driver.Id("checking"));
        Assert.Equal("RESULT", prepared.Result);
        var failure = Assert.Single(prepared.FlowFailures);
        Assert.Equal("fail1", failure.Key);
        Assert.Equal("Woot!", failure.Value.Message);
        Assert.Equal(FlowState.Reverted, driver.Engine.State);
    }

    // TaskFlow removes a reverted task's results from storage. Ours keeps results and inputs (FlowStore.PrepareRevert: the
    // revert reads them), and the atoms end REVERTED.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_revert_removes_data")]
    public void Run_Reverted_AtomsRevertedAndResultsKeptForTheirReverts()
    {
        var driver = Run(Flow.Linear("revert-removes")
            .Add("one-return", name: "one", provides: "one")
            .Add("multi-return", name: "multi", provides: new[] { "a", "b", "c" })
            .Add("failing", name: "fail"));

        Assert.Equal(FlowState.Reverted, driver.Engine.State);
        Assert.All(new[] { "one", "multi", "fail" }, name => Assert.Equal(AtomState.Reverted, driver.State(name)));
        Assert.Equal(1, driver.Store.PrepareRevert(driver.Id("one")).Result);
    }

    // TaskFlow stores task1 as SUCCESS with result 17 in a flow detail before the engine runs; ours restores the engine
    // from a memento with task1 SUCCESS and its result saved.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineParallelFlowTest.test_sequential_flow_two_tasks_with_resumption")]
    public void Resume_FirstTaskAlreadyDone_OnlyTheSecondRunsAndBothResultsAreStored()
    {
        var flow = _tasks.Compile(Flow.Linear("lf-2-r").Add("progressing", name: "task1", provides: "x1").Add("progressing", name: "task2", provides: "x2"));
        var memento = Mementos.Of(flow, FlowState.Running, new Dictionary<string, AtomState> { ["task1"] = AtomState.Success });
        var driver = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);
        driver.Store.Save(new TaskFlow.Orleans.Storage.AtomCompletion(driver.Id("task1"), false, 17, null));

        driver.Resume();
        Assert.Equal(FlowState.Success, driver.RunToEnd());

        Assert.Equal(["task2.t RUNNING", "task2.t SUCCESS(5)"], Atoms(driver));
        var named = driver.Store.GetResults().Named;
        Assert.Equal(17, named["x1"]);
        Assert.Equal(5, named["x2"]);
    }

    // TaskFlow's storage answers x with the input (0) and fetch_all lists both values, [0, 1]. Ours keeps inputs and results
    // apart: a later reader of x gets the input, as in TaskFlow, and the task's own result is stored under x.
    [Fact]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_fetch_with_two_results")]
    [Trait("TaskFlow", "test_engines.EngineMultipleResultsTest.test_fetch_all_with_two_results")]
    public void Run_InputAndResultUnderTheSameName_ReadersGetTheInputAndTheResultIsStored()
    {
        _tasks.Task("echo", required: ["x"], execute: args => args["x"]);
        var driver = Run(Flow.Linear("flow").Add("one-return", name: "task1", provides: "x").Add("echo", name: "reader"), Inputs(("x", 0)));

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(1)", "reader.t RUNNING", "reader.t SUCCESS(0)"], Atoms(driver));
        Assert.Equal(1, driver.Store.GetResults().Named["x"]);
    }
}
