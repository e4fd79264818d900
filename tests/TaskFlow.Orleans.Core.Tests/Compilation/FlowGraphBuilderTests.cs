using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

/// <summary>A compiled flow as a graph: atoms with their pattern, patterns with their parent and retry, and the execution order
/// between atoms with the pattern markers collapsed.</summary>
public sealed class FlowGraphBuilderTests
{
    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("needs-x", required: ["x"])
        .Task("gives-x", provides: ["x"])
        .Task("x-to-y", required: ["x"], provides: ["y"])
        .Task("needs-y", required: ["y"], optional: ["z"])
        .Decider("yes", _ => true);

    private static string[] EdgeList(FlowGraph graph) =>
        [.. graph.Edges.Select(e => $"{e.From}->{e.To}{(e.HasDecider ? "?" : "")}")];

    [Fact]
    public void Build_LinearFlow_ChainsItsAtomsInOrder()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("f").Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c")));

        Assert.Equal("f", graph.FlowName);
        Assert.Equal(["a", "b", "c"], graph.Nodes.Select(n => n.Name));
        Assert.Equal([0, 1, 2], graph.Nodes.Select(n => n.AtomId));
        Assert.All(graph.Nodes, node => Assert.Equal("f", node.Cluster));
        Assert.All(graph.Nodes, node => Assert.Equal("noop", node.TaskName));
        Assert.Equal(["a->b", "b->c"], EdgeList(graph));
        var root = Assert.Single(graph.Clusters);
        Assert.Equal(new GraphCluster { Name = "f", Kind = PatternKind.Linear }, root);
    }

    [Fact]
    public void Build_UnorderedBetweenTwoAtoms_FansOutAndIn()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("f")
            .Add("noop", name: "A")
            .Add(Flow.Unordered("both").Add("noop", name: "B").Add("noop", name: "C"))
            .Add("noop", name: "D")));

        Assert.Equal(["A->B", "A->C", "B->D", "C->D"], EdgeList(graph));
        Assert.Equal(["f", "both", "both", "f"], graph.Nodes.Select(n => n.Cluster));
        Assert.Equal([("f", (string?)null, PatternKind.Linear), ("both", "f", PatternKind.Unordered)],
            graph.Clusters.Select(c => (c.Name, c.Parent, c.Kind)));
    }

    [Fact]
    public void Build_GraphFlow_HasTheInferredDataEdgesAndRequiresProvides()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add("needs-y", name: "last")
            .Add("x-to-y", name: "middle")
            .Add("gives-x", name: "first")
            .Add("noop", name: "alone"), "z"));

        Assert.Equal(["last", "middle", "first", "alone"], graph.Nodes.Select(n => n.Name));
        Assert.Equal(["middle->last", "first->middle"], EdgeList(graph));
        var last = graph.Nodes[0];
        Assert.Equal<string>(["y", "z"], last.Requires);
        Assert.Empty(last.Provides);
        var middle = graph.Nodes[1];
        Assert.Equal<string>(["x"], middle.Requires);
        Assert.Equal<string>(["y"], middle.Provides);
        Assert.Empty(graph.Nodes[3].Requires);
    }

    [Fact]
    public void Build_InjectedArgument_IsNotARequirement()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("f").Add("needs-x", name: "a", inject: ("x", 1))));

        Assert.Empty(Assert.Single(graph.Nodes).Requires);
    }

    [Fact]
    public void Build_NestedPatterns_JoinsTheLastAtomsOfOneToTheFirstOfTheNext()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("root")
            .Add(Flow.Unordered("pair").Add("noop", name: "a").Add(Flow.Linear("chain").Add("noop", name: "b").Add("noop", name: "c")))
            .Add(Flow.Linear("tail").Add(Flow.Unordered("fan").Add("noop", name: "d").Add("noop", name: "e")))));

        Assert.Equal(["a->d", "a->e", "b->c", "c->d", "c->e"], EdgeList(graph));
        Assert.Equal(["root", "pair", "chain", "tail", "fan"], graph.Clusters.Select(c => c.Name));
        Assert.Equal([null, "root", "pair", "root", "tail"], graph.Clusters.Select(c => c.Parent));
        Assert.Equal(["pair", "chain", "chain", "fan", "fan"], graph.Nodes.Select(n => n.Cluster));
    }

    [Fact]
    public void Build_PatternWithRetry_PutsTheRetryBetweenWhatComesBeforeAndThePatternsItems()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("root")
            .Add("noop", name: "before")
            .Add(Flow.Unordered("work").Add("noop", name: "a").Add("noop", name: "b").WithRetry(Retry.Times(3, name: "again")))
            .Add("noop", name: "after")));

        Assert.Equal(["before", "again", "a", "b", "after"], graph.Nodes.Select(n => n.Name));
        Assert.Equal(["before->again", "again->a", "again->b", "a->after", "b->after"], EdgeList(graph));
        var retry = graph.Nodes.Single(n => n.Name == "again");
        Assert.True(retry.IsRetry);
        Assert.Equal("work", retry.Cluster);
        Assert.Equal("retry:times", retry.TaskName);
        Assert.False(graph.Nodes.Single(n => n.Name == "a").IsRetry);
        Assert.Equal("again", graph.Clusters.Single(c => c.Name == "work").Retry);
        Assert.Null(graph.Clusters.Single(c => c.Name == "root").Retry);
    }

    [Fact]
    public void Build_RootRetry_StartsTheGraph()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("f").Add("noop", name: "a").WithRetry(Retry.Times(2))));

        Assert.Equal(["f_retry->a"], EdgeList(graph));
        Assert.Equal("f_retry", Assert.Single(graph.Clusters).Retry);
    }

    [Fact]
    public void Build_DeciderOnLinkBetweenAtoms_MarksThatEdgeOnly()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add("gives-x", name: "a")
            .Add("needs-x", name: "b")
            .Add("noop", name: "c")
            .Link("a", "b", decider: "yes")
            .Link("a", "c")));

        Assert.Equal(["a->b?", "a->c"], EdgeList(graph));
    }

    [Fact]
    public void Build_DeciderOnLinkFromAndIntoPatterns_MarksEveryEdgeAcrossTheLink()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add(Flow.Unordered("sources").Add("noop", name: "a").Add("noop", name: "b"))
            .Add(Flow.Unordered("targets").Add("noop", name: "c").Add("noop", name: "d"))
            .Add("noop", name: "free")
            .Link("sources", "targets", decider: "yes")
            .Link("sources", "free")));

        Assert.Equal(["a->c?", "a->d?", "a->free", "b->c?", "b->d?", "b->free"], EdgeList(graph));
    }

    [Fact]
    public void Build_DeciderIntoPatternWithRetry_MarksTheEdgeIntoTheRetryOnly()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add("noop", name: "a")
            .Add(Flow.Linear("guarded").Add("noop", name: "b").WithRetry(Retry.Times(2, name: "r")))
            .Link("a", "guarded", decider: "yes")));

        Assert.Equal(["a->r?", "r->b"], EdgeList(graph));
    }

    [Fact]
    public void Build_NullFlow_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => FlowGraphBuilder.Build(null!));
}
