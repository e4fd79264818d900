using System.Globalization;
using System.Xml.Linq;
using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;

namespace TaskFlow.Orleans.Core.Tests.Graphs;

/// <summary>How the SVG is laid out: layers by longest path, crossings removed by ordering, long edges routed around atoms.</summary>
public sealed partial class FlowGraphRendererTests
{
    [Fact]
    public void ToSvg_AtomAfterAChainAndAShortcut_IsBelowTheWholeChain()
    {
        // a -> b -> c -> d, and a -> d: d is on the layer after c (longest path), not the one after a.
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c").Add("noop", name: "d")
            .Link("a", "b").Link("b", "c").Link("c", "d").Link("a", "d")));

        var svg = Parse(FlowGraphRenderer.ToSvg(graph));

        var (a, b, c, d) = (Box(Atom(svg, "a")), Box(Atom(svg, "b")), Box(Atom(svg, "c")), Box(Atom(svg, "d")));
        Assert.True(a.Y < b.Y && b.Y < c.Y && c.Y < d.Y);
        // The shortcut a -> d passes the layers of b and c beside them, not through them.
        var shortcut = Assert.Single(Edges(svg), p => (string?)p.Attribute("data-from") == "a" && (string?)p.Attribute("data-to") == "d");
        var points = PathPoints((string)shortcut.Attribute("d")!);
        foreach (var between in new[] { b, c })
        {
            Assert.DoesNotContain(points, p => p.X >= between.X && p.X <= between.X + between.Width && p.Y >= between.Y && p.Y <= between.Y + between.Height);
            Assert.Contains(points, p => p.Y >= between.Y && p.Y <= between.Y + between.Height); // it does pass that layer
        }
    }

    [Fact]
    public void ToSvg_EdgesThatWouldCrossInDefinitionOrder_AreUncrossed()
    {
        // Defined a, b, c, d with a -> d and b -> c: drawn in that order, the two edges cross; reordered, they do not.
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c").Add("noop", name: "d")
            .Link("a", "d").Link("b", "c")));

        var svg = Parse(FlowGraphRenderer.ToSvg(graph));

        var (a, b, c, d) = (Box(Atom(svg, "a")), Box(Atom(svg, "b")), Box(Atom(svg, "c")), Box(Atom(svg, "d")));
        Assert.Equal(a.Y, b.Y);
        Assert.Equal(c.Y, d.Y);
        Assert.True(c.Y > a.Y);
        Assert.Equal(a.X < b.X, d.X < c.X);
    }

    [Fact]
    public void ToSvg_EdgeIntoANestedPattern_EntersItFromAbove()
    {
        var graph = FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("root")
            .Add("noop", name: "first")
            .Add(Flow.Linear("inner").Add("noop", name: "x").Add("noop", name: "y"))
            .Add("noop", name: "last")));

        var svg = Parse(FlowGraphRenderer.ToSvg(graph));

        var (first, inner, last) = (Box(Atom(svg, "first")), Box(Cluster(svg, "inner")), Box(Atom(svg, "last")));
        Assert.True(inner.Y >= first.Y + first.Height);
        Assert.True(last.Y >= inner.Y + inner.Height);
    }

    [Fact]
    public void ToSvg_HandMadeGraphWithUnknownNamesAndACycle_StillDrawsEveryAtom()
    {
        var graph = new FlowGraph
        {
            FlowName = "odd",
            Clusters = [new GraphCluster { Name = "p", Kind = PatternKind.Graph, Parent = "q" }, new GraphCluster { Name = "q", Kind = PatternKind.Linear, Parent = "p" }],
            Nodes =
            [
                new GraphNode { AtomId = 0, Name = "a", TaskName = "t", Cluster = "p" },
                new GraphNode { AtomId = 1, Name = "b", TaskName = "t", Cluster = "nowhere" },
            ],
            Edges = [new GraphEdge { From = "a", To = "b" }, new GraphEdge { From = "b", To = "a" }, new GraphEdge { From = "a", To = "ghost" }],
        };

        var svg = Parse(FlowGraphRenderer.ToSvg(graph));

        Assert.Equal(2, Groups(svg, "atom").Count);
        Assert.Equal(2, Edges(svg).Count);
    }

    private static List<(double X, double Y)> PathPoints(string data) =>
        [.. data.Split([' ', 'M', 'C'], StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var xy = pair.Split(',');
            return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
        })];
}
