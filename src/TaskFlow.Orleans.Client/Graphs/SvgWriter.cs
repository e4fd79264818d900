using System.Globalization;
using System.Text;

namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>Draws a laid-out graph as a standalone SVG document: colours inline, no styles, scripts or external references.</summary>
internal static class SvgWriter
{
    private const string EdgeColour = "#6b7280";
    private const string DeciderColour = "#7c3aed";
    private const string SkippedColour = "#9ca3af";
    private static readonly string[] ClusterFills = ["#f8fafc", "#eef2f7"];

    public static string Write(GraphModel model)
    {
        var layout = new LayeredLayout(model);
        var (width, height) = (N(layout.Width), N(layout.Height));
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
            .Append($"class=\"taskflow-graph\" data-flow=\"{X(model.FlowName)}\" font-family=\"Segoe UI, Helvetica, Arial, sans-serif\">\n")
            .Append($"<title>Flow {X(model.FlowName)}</title>\n")
            .Append("<defs>\n");
        foreach (var (id, colour) in new[] { ("tf-arrow", EdgeColour), ("tf-arrow-decider", DeciderColour), ("tf-arrow-skipped", SkippedColour) })
        {
            svg.Append($"<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">")
                .Append($"<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>\n");
        }

        svg.Append("</defs>\n<g class=\"clusters\">\n");
        // Parents first, so nested clusters are drawn over them.
        foreach (var c in Enumerable.Range(0, model.Clusters.Length).OrderBy(c => model.ClusterDepth[c]).ThenBy(c => c))
        {
            Cluster(svg, model, c, layout.ClusterBoxes[c]);
        }

        svg.Append("</g>\n<g class=\"edges\">\n");
        for (var e = 0; e < model.Edges.Count; e++)
        {
            Edge(svg, model, e, layout.EdgePoints[e]);
        }

        svg.Append("</g>\n<g class=\"atoms\">\n");
        for (var n = 0; n < model.Nodes.Length; n++)
        {
            Atom(svg, model, n, layout.NodeBoxes[n]);
        }

        return svg.Append("</g>\n</svg>\n").ToString();
    }

    private static void Cluster(StringBuilder svg, GraphModel model, int c, Box box)
    {
        var cluster = model.Clusters[c];
        svg.Append($"<g class=\"cluster\" data-cluster=\"{X(cluster.Name)}\" data-kind=\"{GraphModel.KindName(cluster)}\"");
        if (model.ClusterParent[c] >= 0)
        {
            svg.Append($" data-parent=\"{X(model.Clusters[model.ClusterParent[c]].Name)}\"");
        }

        if (cluster.Retry is { } retry)
        {
            svg.Append($" data-retry=\"{X(retry)}\"");
        }

        svg.Append($"><title>{X(cluster.Name)} ({GraphModel.KindName(cluster)}{(cluster.Retry is { } r ? $", retried by {X(r)}" : "")})</title>")
            .Append($"<rect x=\"{N(box.X)}\" y=\"{N(box.Y)}\" width=\"{N(box.Width)}\" height=\"{N(box.Height)}\" rx=\"10\" ")
            .Append($"fill=\"{ClusterFills[model.ClusterDepth[c] % 2]}\" stroke=\"#94a3b8\" stroke-width=\"1\"/>")
            .Append($"<text x=\"{N(box.X + 12)}\" y=\"{N(box.Y + 21)}\" font-size=\"12\" font-weight=\"600\" fill=\"#334155\">")
            .Append(X(LayeredLayout.ClusterLabel(cluster))).Append("</text></g>\n");
    }

    private static void Edge(StringBuilder svg, GraphModel model, int e, IReadOnlyList<Point> points)
    {
        var edge = model.Edges[e];
        var skipped = model.IsSkipped(edge);
        var (colour, marker) = skipped ? (SkippedColour, "tf-arrow-skipped")
            : edge.Edge.HasDecider ? (DeciderColour, "tf-arrow-decider") : (EdgeColour, "tf-arrow");
        var (from, to) = (model.Nodes[edge.From].Name, model.Nodes[edge.To].Name);
        svg.Append($"<path class=\"edge\" data-from=\"{X(from)}\" data-to=\"{X(to)}\"");
        if (edge.Edge.HasDecider)
        {
            svg.Append(" data-decider=\"true\"");
        }

        svg.Append($" d=\"{PathData(points)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"");
        if (skipped)
        {
            svg.Append(" stroke-dasharray=\"6 4\"");
        }

        var note = skipped ? " (decider said no: skipped)" : edge.Edge.HasDecider ? " (decider)" : "";
        svg.Append($" marker-end=\"url(#{marker})\"><title>{X(from)} → {X(to)}{note}</title></path>\n");
    }

    /// <summary>A smooth path through the points: vertical at each point, so it leaves a box downwards and enters one from above.</summary>
    private static string PathData(IReadOnlyList<Point> points)
    {
        var d = new StringBuilder($"M{N(points[0].X)},{N(points[0].Y)}");
        for (var i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            var middle = (a.Y + b.Y) / 2;
            d.Append($" C{N(a.X)},{N(middle)} {N(b.X)},{N(middle)} {N(b.X)},{N(b.Y)}");
        }

        return d.ToString();
    }

    private static void Atom(StringBuilder svg, GraphModel model, int n, Box box)
    {
        var node = model.Nodes[n];
        var state = model.States[n];
        var (fill, stroke, text) = StatePalette.Of(state);
        svg.Append($"<g class=\"atom\" data-atom=\"{X(node.Name)}\" data-state=\"{state}\" data-task=\"{X(node.TaskName)}\"");
        if (model.NodeCluster[n] >= 0)
        {
            svg.Append($" data-cluster=\"{X(model.Clusters[model.NodeCluster[n]].Name)}\"");
        }

        if (node.IsRetry)
        {
            svg.Append(" data-retry=\"true\"");
        }

        svg.Append('>').Append("<title>").Append(Tooltip(node, state)).Append("</title>")
            .Append($"<rect x=\"{N(box.X)}\" y=\"{N(box.Y)}\" width=\"{N(box.Width)}\" height=\"{N(box.Height)}\" rx=\"8\" ")
            .Append($"fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(node.IsRetry ? "2" : "1.5")}\"/>");
        if (node.IsRetry)
        {
            // A retry controller: a double border and a "retry" tag on its top edge.
            svg.Append($"<rect x=\"{N(box.X + 4)}\" y=\"{N(box.Y + 4)}\" width=\"{N(box.Width - 8)}\" height=\"{N(box.Height - 8)}\" rx=\"5\" ")
                .Append($"fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1\"/>")
                .Append($"<rect x=\"{N(box.X + 10)}\" y=\"{N(box.Y - 7)}\" width=\"38\" height=\"14\" rx=\"7\" fill=\"{stroke}\"/>")
                .Append($"<text x=\"{N(box.X + 29)}\" y=\"{N(box.Y + 3)}\" text-anchor=\"middle\" font-size=\"9\" font-weight=\"600\" fill=\"#ffffff\">retry</text>");
        }

        svg.Append($"<text x=\"{N(box.CentreX)}\" y=\"{N(box.Y + 20)}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"{text}\">")
            .Append(X(LayeredLayout.Shorten(GraphModel.Clean(node.Name)))).Append("</text>")
            .Append($"<text x=\"{N(box.CentreX)}\" y=\"{N(box.Y + 36)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{text}\" fill-opacity=\"0.75\">")
            .Append(X(LayeredLayout.Shorten(GraphModel.Clean(node.TaskName)))).Append("</text></g>\n");
    }

    /// <summary>The hover text of an atom, escaped, one line each for its state, requires and provides.</summary>
    private static string Tooltip(Orleans.Graphs.GraphNode node, string state)
    {
        var lines = new List<string> { $"{X(node.Name)} ({(node.IsRetry ? "retry controller, " : "")}{X(node.TaskName)}): {state}" };
        if (!node.Requires.IsDefaultOrEmpty)
        {
            lines.Add("requires: " + string.Join(", ", node.Requires.Select(X)));
        }

        if (!node.Provides.IsDefaultOrEmpty)
        {
            lines.Add("provides: " + string.Join(", ", node.Provides.Select(X)));
        }

        return string.Join("\n", lines);
    }

    /// <summary>A number as SVG wants it: invariant, at most two decimals.</summary>
    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Text escaped for XML content and attributes; characters XML cannot carry become spaces.</summary>
    internal static string X(string? text)
    {
        var clean = GraphModel.Clean(text);
        var escaped = new StringBuilder(clean.Length + 8);
        foreach (var c in clean)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
