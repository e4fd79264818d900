using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Graphs;

/// <summary>DOT and Mermaid: every node, cluster and edge, coloured by state, and every name escaped.</summary>
public sealed partial class FlowGraphRendererTests
{
    private static int Index(FlowGraph graph, string name) => graph.Nodes.IndexOf(graph.Nodes.Single(n => n.Name == name));

    [Fact]
    public void ToDot_ContainsEveryNodeClusterAndEdge()
    {
        var graph = Nested();

        var dot = FlowGraphRenderer.ToDot(graph, States);

        Assert.StartsWith("digraph \"root\" {", dot, StringComparison.Ordinal);
        foreach (var node in graph.Nodes)
        {
            Assert.Contains($"n{Index(graph, node.Name)} [label=\"{node.Name}\\n{node.TaskName}\"", dot, StringComparison.Ordinal);
        }

        for (var c = 0; c < graph.Clusters.Length; c++)
        {
            Assert.Contains($"subgraph cluster_{c} {{", dot, StringComparison.Ordinal);
            Assert.Contains($"label=\"{graph.Clusters[c].Name} ({graph.Clusters[c].Kind.ToString().ToLowerInvariant()})\"", dot, StringComparison.Ordinal);
        }

        foreach (var edge in graph.Edges)
        {
            Assert.Contains($"n{Index(graph, edge.From)} -> n{Index(graph, edge.To)}", dot, StringComparison.Ordinal);
        }

        Assert.Contains($"n{Index(graph, "gate")} -> n{Index(graph, "closed")} [style=dashed", dot, StringComparison.Ordinal);
        Assert.Contains($"n{Index(graph, "before")} [label=\"before\\nnoop\", fillcolor=\"#dcfce7\"", dot, StringComparison.Ordinal);
        Assert.Contains("peripheries=2", dot, StringComparison.Ordinal); // the retry
        // Nesting follows the patterns: decide's subgraph opens inside middle's.
        Assert.True(dot.IndexOf("subgraph cluster_1 {", StringComparison.Ordinal) < dot.IndexOf("subgraph cluster_2 {", StringComparison.Ordinal));
    }

    [Fact]
    public void ToMermaid_ContainsEveryNodeSubgraphAndEdge()
    {
        var graph = Nested();

        var mermaid = FlowGraphRenderer.ToMermaid(graph, States);

        Assert.StartsWith("flowchart TD\n", mermaid, StringComparison.Ordinal);
        foreach (var node in graph.Nodes)
        {
            Assert.Contains($"n{Index(graph, node.Name)}", mermaid, StringComparison.Ordinal);
            Assert.Contains($"\"{node.Name}<br/>{node.TaskName}\"", mermaid, StringComparison.Ordinal);
        }

        for (var c = 0; c < graph.Clusters.Length; c++)
        {
            Assert.Contains($"subgraph c{c}[\"{graph.Clusters[c].Name} (", mermaid, StringComparison.Ordinal);
        }

        Assert.Equal(graph.Clusters.Length, mermaid.Split('\n').Count(line => line.Trim() == "end"));
        foreach (var edge in graph.Edges)
        {
            Assert.Matches($@"\bn{Index(graph, edge.From)} -[-.]+>(\|[a-z]+\| )? ?n{Index(graph, edge.To)}\n", mermaid);
        }

        Assert.Contains($"n{Index(graph, "gate")} -.->|skipped| n{Index(graph, "closed")}", mermaid, StringComparison.Ordinal);
        Assert.Contains($"n{Index(graph, "again")}{{{{", mermaid, StringComparison.Ordinal); // the retry is a hexagon
        Assert.Contains("classDef state_success fill:#dcfce7", mermaid, StringComparison.Ordinal);
        Assert.Contains($"class n{Index(graph, "before")},n{Index(graph, "again")} state_success", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDotAndToMermaid_HostileNames_AreEscaped()
    {
        var graph = new FlowGraph
        {
            FlowName = Hostile,
            Clusters = [new GraphCluster { Name = Hostile, Kind = PatternKind.Graph }],
            Nodes = [new GraphNode { AtomId = 0, Name = Hostile + "\\", TaskName = "a\"b", Cluster = Hostile }],
        };

        var dot = FlowGraphRenderer.ToDot(graph, new Dictionary<string, AtomState>());
        var mermaid = FlowGraphRenderer.ToMermaid(graph);

        Assert.Contains("label=\"<script>alert(\\\"x\\\")</script> & 'q'\\\\\\nnoop", dot.Replace("a\\\"b", "noop", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", mermaid, StringComparison.Ordinal);
        Assert.Contains("#60;script#62;alert#40;#34;x#34;#41;", mermaid, StringComparison.Ordinal);
        // Every quote in a label line is one that delimits it.
        Assert.All(mermaid.Split('\n').Where(line => line.TrimStart().StartsWith("n0", StringComparison.Ordinal) || line.Contains("subgraph", StringComparison.Ordinal)),
            line => Assert.Equal(2, line.Count(ch => ch == '"')));
    }
}
