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

/// <summary>test_retries.py: ForEach and ParameterizedForEach.</summary>
public sealed partial class RetryScenarioTests
{
    // ---- ForEach and ParameterizedForEach ----

    private static string[] ForEachAttempts(string retry, string task, int[] values, bool revertRetry = true) =>
    [
        .. values.SelectMany((value, i) => new[]
        {
            $"{retry}.r RUNNING", $"{retry}.r SUCCESS({value})",
            $"{task}.t RUNNING", $"{task}.t FAILURE(Failure: RuntimeError: Woot with {value})",
            $"{task}.t REVERTING", $"{task}.t REVERTED(None)",
        }.Concat(i < values.Length - 1 ? [$"{retry}.r RETRYING", $"{task}.t PENDING"] : [])),
        .. revertRetry ? new[] { $"{retry}.r REVERTING", $"{retry}.r REVERTED(None)" } : [],
    ];

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_for_each_with_list")]
    public void Run_ForEachOverList_TriesEachValueInOrderIncludingRepeats()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("failing-with-one-arg", name: "t1")
            .WithRetry(Retry.ForEach([3, 2, 3, 5], name: "r1", provides: "x")));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["flow-1.f RUNNING", .. ForEachAttempts("r1", "t1", [3, 2, 3, 5]), "flow-1.f REVERTED"], driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_for_each_with_set")]
    public void Run_ForEachOverSet_TriesEachValueOnce()
    {
        // TaskFlow compares as a multiset (a Python set has no order); a HashSet of these values enumerates as added.
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("failing-with-one-arg", name: "t1")
            .WithRetry(Retry.ForEach(new HashSet<object?> { 2, 3, 5 }, name: "r1", provides: "x")));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["flow-1.f RUNNING", .. ForEachAttempts("r1", "t1", [2, 3, 5]), "flow-1.f REVERTED"], driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_for_each_revert")]
    public void Run_NestedForEachExhausted_RevertsOnlyItsSubflow()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("failing-with-one-arg", name: "task2")
                .WithRetry(Retry.ForEach([3, 2, 3, 5], name: "r1", provides: "x"))));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING", "task1.t RUNNING", "task1.t SUCCESS(5)", .. ForEachAttempts("r1", "task2", [3, 2, 3, 5]), "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_for_each_revert_all")]
    public void Run_NestedForEachWithRevertAllExhausted_RevertsEverything()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task1")
            .Add(Flow.Linear("flow-2")
                .Add("failing-with-one-arg", name: "task2")
                .WithRetry(Retry.ForEach([3, 2, 3, 5], revertAll: true, name: "r1", provides: "x"))));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING", "task1.t RUNNING", "task1.t SUCCESS(5)", .. ForEachAttempts("r1", "task2", [3, 2, 3, 5]),
             "task1.t REVERTING", "task1.t REVERTED(None)", "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_for_each_empty_collection")]
    public void Compile_ForEachOverNoValues_IsRejected()
    {
        // TaskFlow fails the run with NotFound("No elements left ..."); a fixed empty list is known at compile time here.
        var exception = _tasks.CompileFails(Flow.Linear("flow-1").Add("conditional", name: "t1")
            .WithRetry(Retry.ForEach([], name: "r1", provides: "x")), "y");

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("bad-retry", problem.Code);
        Assert.Contains("No elements left", problem.Message);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_parameterized_for_each_with_list")]
    public void Run_ParameterizedForEachOverInputList_TriesEachValue()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("failing-with-one-arg", name: "t1")
            .WithRetry(Retry.ParameterizedForEach(name: "r1", provides: "x")), Inputs(("values", new List<int> { 3, 2, 5 }), ("y", 1)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["flow-1.f RUNNING", .. ForEachAttempts("r1", "t1", [3, 2, 5]), "flow-1.f REVERTED"], driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_parameterized_for_each_with_set")]
    public void Run_ParameterizedForEachOverInputSetFromRebind_TriesEachValue()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("failing-with-one-arg", name: "t1")
            .WithRetry(Retry.ParameterizedForEach("candidates", name: "r1", provides: "x")),
            Inputs(("candidates", new HashSet<int> { 3, 2, 5 }), ("y", 1)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["flow-1.f RUNNING", .. ForEachAttempts("r1", "t1", [3, 2, 5]), "flow-1.f REVERTED"], driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_parameterized_for_each_revert")]
    public void Run_NestedParameterizedForEachExhausted_RevertsOnlyItsSubflow()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task-1")
            .Add(Flow.Linear("flow-2")
                .Add("failing-with-one-arg", name: "task-2")
                .WithRetry(Retry.ParameterizedForEach(name: "r1", provides: "x"))), Inputs(("values", new[] { 3, 2, 5 }), ("y", 1)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING", "task-1.t RUNNING", "task-1.t SUCCESS(5)", .. ForEachAttempts("r1", "task-2", [3, 2, 5]), "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_nested_parameterized_for_each_revert_all")]
    public void Run_NestedParameterizedForEachWithRevertAllExhausted_RevertsEverything()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("progressing", name: "task-1")
            .Add(Flow.Linear("flow-2")
                .Add("failing-with-one-arg", name: "task-2")
                .WithRetry(Retry.ParameterizedForEach(revertAll: true, name: "r1", provides: "x"))), Inputs(("values", new[] { 3, 2, 5 }), ("y", 1)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING", "task-1.t RUNNING", "task-1.t SUCCESS(5)", .. ForEachAttempts("r1", "task-2", [3, 2, 5]),
             "task-1.t REVERTING", "task-1.t REVERTED(None)", "flow-1.f REVERTED"],
            driver.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_parameterized_for_each_empty_collection")]
    public void Run_ParameterizedForEachOverEmptyInput_RetryFailsAndFlowReverts()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
            .Add("conditional", name: "t1")
            .WithRetry(Retry.ParameterizedForEach(name: "r1", provides: "x")), Inputs(("values", Array.Empty<int>()), ("y", 1)));

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(
            ["flow-1.f RUNNING",
             "r1.r RUNNING", "r1.r FAILURE(Failure: InvalidOperationException: No elements left in collection of iterable retry controller 'r1'.)",
             "r1.r REVERTING", "r1.r REVERTED(None)",
             "flow-1.f REVERTED"],
            driver.Capture);
    }
}
