using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

/// <summary>
/// TaskFlow's <c>TargetedFlow</c> (<c>taskflow/tests/unit/patterns/test_graph_flow.py: TargetedGraphFlowTest</c>): only the
/// target and what it depends on, through links and requires/provides, are part of the run. TaskFlow counts the flow's nodes;
/// here the compiled atoms are counted and the run is driven to check that only they execute.
/// </summary>
public sealed class TargetedFlowTests
{
    private readonly FakeTaskCatalog _catalog = new FakeTaskCatalog()
        .Task("task1", provides: ["a"])
        .Task("task2", required: ["a"], provides: ["b"])
        .Task("task3", required: ["b"])
        .Task("task4", required: ["b"], provides: ["c"])
        .Task("free")
        .Task("needs-a", required: ["a"]);

    private static string[] AtomNames(Core.Compilation.CompiledFlow flow) => [.. flow.Atoms.Select(atom => atom.Name)];

    private static FlowBuilder FourTasks() => Flow.Targeted("test").Add("task1").Add("task2").Add("task3").Add("task4");

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_targeted_flow_restricts")]
    public void Compile_Target_KeepsOnlyTheTargetAndWhatItDependsOn()
    {
        var flow = _catalog.Compile(FourTasks().SetTarget("task3"));

        Assert.Equal(["task1", "task2", "task3"], AtomNames(flow));
        Assert.DoesNotContain(flow.Atoms, atom => atom.Provides.Contains("c"));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_targeted_flow_restricts")]
    public void Run_Target_ExecutesOnlyTheTargetAndItsDependencies_InOrder()
    {
        var driver = _catalog.Drive(FourTasks().SetTarget("task3"));
        driver.Start();
        driver.RunToEnd();

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS", "task2.t RUNNING", "task2.t SUCCESS", "task3.t RUNNING", "task3.t SUCCESS"],
            driver.Trace.Where(line => !line.Contains(".f ", StringComparison.Ordinal)).Where(line => !line.EndsWith("PENDING", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_targeted_flow_reset")]
    public void Compile_ResetTarget_KeepsEveryItem()
    {
        var flow = _catalog.Compile(FourTasks().SetTarget("task3").ResetTarget());

        Assert.Equal(["task1", "task2", "task3", "task4"], AtomNames(flow));
        Assert.Contains(flow.Atoms, atom => atom.Provides.Contains("c"));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_targeted_flow_bad_target")]
    public void Compile_TargetNotInTheFlow_IsRefusedNamingTheFlowTheTargetAndTheItems()
    {
        var exception = _catalog.CompileFails(Flow.Linear("outer").Add(Flow.Targeted("test").Add("task1").SetTarget("task2")));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("unknown-target", problem.Code);
        Assert.Equal("test", problem.FlowName);
        Assert.Equal("task2", problem.AtomName);
        Assert.Contains("Targeted flow 'test' has target 'task2', which is not an item of 'test'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Set the target to one of its items: task1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TargetInsideANestedFlow_SaysWhichItemToTargetInstead()
    {
        var exception = _catalog.CompileFails(Flow.Targeted("test")
            .Add("task1")
            .Add(Flow.Linear("inner").Add("task2"))
            .SetTarget("task2"));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("unknown-target", problem.Code);
        Assert.Contains("'task2' is inside 'inner'; target 'inner' instead", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetTarget_OnAPlainGraph_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Flow.Graph("g").Add("task1").SetTarget("task1"));

        Assert.Contains("Flow 'g' is not a targeted flow", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Flow.Targeted(\"g\")", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_targeted_flow_one_node")]
    public void Compile_TargetWithoutDependencies_KeepsOneAtom()
    {
        var flow = _catalog.Compile(Flow.Targeted("test").Add("task1").SetTarget("task1"));

        Assert.Equal(["task1"], AtomNames(flow));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_recache_on_add")]
    public void Compile_ProviderAddedAfterTheTarget_IsKept()
    {
        var flow = _catalog.Compile(Flow.Targeted("test").Add("needs-a").SetTarget("needs-a").Add("task1"));

        Assert.Equal(["needs-a", "task1"], AtomNames(flow));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_recache_on_add_no_deps")]
    public void Compile_UnrelatedItemAddedAfterTheTarget_IsLeftOut()
    {
        var flow = _catalog.Compile(Flow.Targeted("test").Add("free", name: "task1").SetTarget("task1").Add("free", name: "task2"));

        Assert.Equal(["task1"], AtomNames(flow));
    }

    [Fact]
    [Trait("TaskFlow", "test_graph_flow.TargetedGraphFlowTest.test_recache_on_link")]
    public void Compile_LinkIntoTheTarget_KeepsItsSource()
    {
        FlowBuilder Three() => Flow.Targeted("test").Add("free", name: "task1").Add("free", name: "task2").Add("free", name: "task3");

        Assert.Equal(["task1"], AtomNames(_catalog.Compile(Three().SetTarget("task1"))));
        Assert.Equal(["task1", "task2"], AtomNames(_catalog.Compile(Three().Link("task2", "task1").SetTarget("task1"))));
        // Transitively: task3 -> task2 -> task1.
        Assert.Equal(["task1", "task2", "task3"], AtomNames(_catalog.Compile(Three().Link("task2", "task1").Link("task3", "task2").SetTarget("task1"))));
    }

    [Fact]
    public void Compile_ProblemsOfLeftOutItems_AreNotReported_ButThoseOfKeptItemsAre()
    {
        // 'broken' needs a value nothing provides, but the target does not depend on it.
        var kept = _catalog.Compile(Flow.Targeted("test").Add("task1").Add("task3", name: "broken").SetTarget("task1"));
        Assert.Equal(["task1"], AtomNames(kept));

        var exception = _catalog.CompileFails(Flow.Targeted("test").Add("task1").Add("task3", name: "broken").SetTarget("broken"));
        Assert.Contains(exception.Problems, problem => problem.AtomName == "broken");
    }
}
