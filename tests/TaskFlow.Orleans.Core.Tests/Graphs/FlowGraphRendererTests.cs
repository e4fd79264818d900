using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Graphs;

/// <summary>The client library's renderers on graphs the compiler builds: one atom per node with its state, hostile names shown as
/// text, clusters nested, successors below predecessors, decider edges marked, and DOT and Mermaid naming everything.</summary>
public sealed partial class FlowGraphRendererTests
{
    private const string Hostile = "<script>alert(\"x\")</script> & 'q'";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("gives-x", provides: ["x"])
        .Task("needs-x", required: ["x"])
        .Decider("yes", _ => true);

    /// <summary>before → retry → (unordered: left, (graph: gate → opened [decider], gate → closed [decider], gate → plain)) → after.</summary>
    private FlowGraph Nested() => FlowGraphBuilder.Build(_catalog.Compile(Flow.Linear("root")
        .Add("noop", name: "before")
        .Add(Flow.Unordered("middle")
            .Add("noop", name: "left")
            .Add(Flow.Graph("decide")
                .Add("gives-x", name: "gate")
                .Add("needs-x", name: "opened")
                .Add("noop", name: "closed")
                .Add("noop", name: "plain")
                .Link("gate", "opened", decider: "yes")
                .Link("gate", "closed", decider: "yes")
                .Link("gate", "plain"))
            .WithRetry(Retry.Times(2, name: "again")))
        .Add("noop", name: "after")));

    private static readonly Dictionary<string, AtomState> States = new(StringComparer.Ordinal)
    {
        ["before"] = AtomState.Success,
        ["again"] = AtomState.Success,
        ["left"] = AtomState.Failure,
        ["gate"] = AtomState.Reverted,
        ["opened"] = AtomState.Running,
        ["closed"] = AtomState.Ignore,
    };

    private static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    private static List<XElement> Groups(XElement svg, string kind) =>
        [.. svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == kind)];

    private static XElement Atom(XElement svg, string name) => Assert.Single(Groups(svg, "atom"), g => (string?)g.Attribute("data-atom") == name);

    private static XElement Cluster(XElement svg, string name) => Assert.Single(Groups(svg, "cluster"), g => (string?)g.Attribute("data-cluster") == name);

    private static (double X, double Y, double Width, double Height) Box(XElement group)
    {
        var rect = group.Element(Svg + "rect")!;
        double Read(string attribute) => double.Parse((string)rect.Attribute(attribute)!, CultureInfo.InvariantCulture);
        return (Read("x"), Read("y"), Read("width"), Read("height"));
    }

    private static bool Inside((double X, double Y, double Width, double Height) inner, (double X, double Y, double Width, double Height) outer) =>
        inner.X >= outer.X && inner.Y >= outer.Y && inner.X + inner.Width <= outer.X + outer.Width && inner.Y + inner.Height <= outer.Y + outer.Height;

    private static List<XElement> Edges(XElement svg) =>
        [.. svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "edge")];

    [Fact]
    public void ToSvg_EveryNode_IsOneAtomGroupWithItsStateAndPendingWhenUnknown()
    {
        var graph = Nested();

        var svg = Parse(FlowGraphRenderer.ToSvg(graph, States));

        var atoms = Groups(svg, "atom");
        Assert.Equal(graph.Nodes.Select(n => n.Name), atoms.Select(g => (string?)g.Attribute("data-atom")));
        foreach (var node in graph.Nodes)
        {
            var expected = States.TryGetValue(node.Name, out var state) ? StateNames.Of(state) : "PENDING";
            var atom = Atom(svg, node.Name);
            Assert.Equal(expected, (string?)atom.Attribute("data-state"));
            Assert.Contains(node.Name, atom.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        }

        // Colours are inline, so a saved file is coloured: distinct states, distinct fills.
        Assert.NotEqual(Atom(svg, "before").Element(Svg + "rect")!.Attribute("fill")!.Value, Atom(svg, "left").Element(Svg + "rect")!.Attribute("fill")!.Value);
        Assert.Equal("#ffffff", Atom(svg, "after").Element(Svg + "rect")!.Attribute("fill")!.Value);
    }

    [Fact]
    public void ToSvg_WithoutStates_EveryAtomIsPending()
    {
        var svg = Parse(FlowGraphRenderer.ToSvg(Nested()));

        Assert.All(Groups(svg, "atom"), atom => Assert.Equal("PENDING", (string?)atom.Attribute("data-state")));
    }

    [Fact]
    public void ToSvg_HostileNames_AreEscapedAndReadBackAsText()
    {
        var graph = new FlowGraph
        {
            FlowName = Hostile,
            Clusters = [new GraphCluster { Name = Hostile + " flow", Kind = PatternKind.Linear }],
            Nodes =
            [
                new GraphNode { AtomId = 0, Name = Hostile, TaskName = "task<&>\"", Cluster = Hostile + " flow", Requires = ["a<b"] },
                new GraphNode { AtomId = 1, Name = "next\u0001line", TaskName = "noop", Cluster = Hostile + " flow" },
            ],
            Edges = [new GraphEdge { From = Hostile, To = "next\u0001line" }],
        };

        var text = FlowGraphRenderer.ToSvg(graph, new Dictionary<string, AtomState> { [Hostile] = AtomState.Success });
        var svg = Parse(text); // well-formed XML, or this throws

        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "script");
        var atom = Atom(svg, Hostile);
        Assert.Equal("SUCCESS", (string?)atom.Attribute("data-state"));
        Assert.Equal("task<&>\"", (string?)atom.Attribute("data-task"));
        Assert.Contains(atom.Elements(Svg + "text"), t => t.Value.StartsWith("<script>alert(", StringComparison.Ordinal));
        Assert.Equal(Hostile + " flow", (string?)Cluster(svg, Hostile + " flow").Attribute("data-cluster"));
        Assert.Equal(Hostile, (string?)Assert.Single(Edges(svg)).Attribute("data-from"));
    }

    [Fact]
    public void ToSvg_NestedPatterns_EachClusterAndAtomIsInsideItsParentsRectangle()
    {
        var graph = Nested();

        var svg = Parse(FlowGraphRenderer.ToSvg(graph, States));

        Assert.Equal(graph.Clusters.Select(c => c.Name), Groups(svg, "cluster").Select(g => (string?)g.Attribute("data-cluster")));
        foreach (var cluster in graph.Clusters.Where(c => c.Parent is not null))
        {
            Assert.Equal(cluster.Parent, (string?)Cluster(svg, cluster.Name).Attribute("data-parent"));
            Assert.True(Inside(Box(Cluster(svg, cluster.Name)), Box(Cluster(svg, cluster.Parent!))), $"{cluster.Name} is not inside {cluster.Parent}.");
        }

        foreach (var node in graph.Nodes)
        {
            Assert.True(Inside(Box(Atom(svg, node.Name)), Box(Cluster(svg, node.Cluster))), $"{node.Name} is not inside {node.Cluster}.");
        }

        Assert.Contains(Cluster(svg, "decide").Elements(Svg + "text"), t => t.Value == "decide (graph)");
        // Siblings do not overlap.
        var (left, decide) = (Box(Atom(svg, "left")), Box(Cluster(svg, "decide")));
        Assert.True(left.X + left.Width <= decide.X || decide.X + decide.Width <= left.X || left.Y + left.Height <= decide.Y);
    }

    [Fact]
    public void ToSvg_EveryEdge_GoesDownFromItsSourceToItsTargetWithAnArrow()
    {
        var graph = Nested();

        var svg = Parse(FlowGraphRenderer.ToSvg(graph, States));

        var edges = Edges(svg);
        Assert.Equal(graph.Edges.Select(e => (e.From, e.To)), edges.Select(p => ((string)p.Attribute("data-from")!, (string)p.Attribute("data-to")!)));
        foreach (var edge in graph.Edges)
        {
            var (from, to) = (Box(Atom(svg, edge.From)), Box(Atom(svg, edge.To)));
            Assert.True(to.Y >= from.Y + from.Height, $"{edge.To} is not below {edge.From}.");
        }

        Assert.All(edges, edge => Assert.StartsWith("url(#", (string)edge.Attribute("marker-end")!, StringComparison.Ordinal));
    }

    [Fact]
    public void ToSvg_DeciderEdges_AreMarkedAndTheOneToAnIgnoredAtomIsDashed()
    {
        var svg = Parse(FlowGraphRenderer.ToSvg(Nested(), States));

        XElement Edge(string to) => Assert.Single(Edges(svg), p => (string?)p.Attribute("data-from") == "gate" && (string?)p.Attribute("data-to") == to);
        Assert.Equal("true", (string?)Edge("closed").Attribute("data-decider"));
        Assert.NotNull(Edge("closed").Attribute("stroke-dasharray"));
        Assert.Equal("true", (string?)Edge("opened").Attribute("data-decider"));
        Assert.Null(Edge("opened").Attribute("stroke-dasharray"));
        Assert.Null(Edge("plain").Attribute("data-decider"));
        Assert.Null(Edge("plain").Attribute("stroke-dasharray"));
    }

    [Fact]
    public void ToSvg_RetryController_HasADoubleBorderAndARetryLabel()
    {
        var svg = Parse(FlowGraphRenderer.ToSvg(Nested(), States));

        var retry = Atom(svg, "again");
        Assert.Equal("true", (string?)retry.Attribute("data-retry"));
        Assert.Contains(retry.Elements(Svg + "text"), t => t.Value == "retry");
        Assert.True(retry.Elements(Svg + "rect").Count() > Atom(svg, "left").Elements(Svg + "rect").Count());
        Assert.Null(Atom(svg, "left").Attribute("data-retry"));
        Assert.Equal("again", (string?)Cluster(svg, "middle").Attribute("data-retry"));
    }

    [Fact]
    public void ToSvg_Document_HasItsSizeAndNoExternalReferences()
    {
        var text = FlowGraphRenderer.ToSvg(Nested(), States);
        var svg = Parse(text);

        var width = double.Parse((string)svg.Attribute("width")!, CultureInfo.InvariantCulture);
        var height = double.Parse((string)svg.Attribute("height")!, CultureInfo.InvariantCulture);
        Assert.True(width > 0 && height > 0);
        Assert.Equal($"0 0 {svg.Attribute("width")!.Value} {svg.Attribute("height")!.Value}", (string?)svg.Attribute("viewBox"));
        Assert.All(Groups(svg, "cluster").Concat(Groups(svg, "atom")), g =>
        {
            var box = Box(g);
            Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= width && box.Y + box.Height <= height);
        });
        Assert.DoesNotContain(svg.DescendantsAndSelf().Attributes(), a => a.Name.LocalName == "href");
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "style" or "image" or "foreignObject");
        Assert.Equal(["http://www.w3.org/2000/svg"], UrlPattern().Matches(text).Select(m => m.Value).Distinct());
        Assert.All(svg.Descendants().Attributes().Where(a => a.Value.Contains("url(", StringComparison.Ordinal)),
            a => Assert.StartsWith("url(#", a.Value, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"https?://[^""\s]+")]
    private static partial Regex UrlPattern();
}
