using System.Text;

namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>Writes a graph in Graphviz DOT: one <c>subgraph cluster_N</c> per pattern (N its index), atoms as <c>nN</c> (N their
/// index) labelled with their atom and task names and filled by state.</summary>
internal static class DotWriter
{
    public static string Write(GraphModel model)
    {
        var dot = new StringBuilder();
        dot.Append($"digraph {Q(model.FlowName)} {{\n")
            .Append("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, labeljust=l];\n")
            .Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n")
            .Append("  edge [color=\"#6b7280\"];\n");
        Contents(dot, model, container: -1, indent: "  ");
        foreach (var edge in model.Edges)
        {
            dot.Append($"  n{edge.From} -> n{edge.To}");
            if (model.IsSkipped(edge))
            {
                dot.Append(" [style=dashed, color=\"#9ca3af\", tooltip=\"decider said no: skipped\"]");
            }
            else if (edge.Edge.HasDecider)
            {
                dot.Append(" [color=\"#7c3aed\", tooltip=\"decider\"]");
            }

            dot.Append(";\n");
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>The atoms and nested clusters of a cluster (or of the top, -1), in index order.</summary>
    private static void Contents(StringBuilder dot, GraphModel model, int container, string indent)
    {
        for (var n = 0; n < model.Nodes.Length; n++)
        {
            if (model.NodeCluster[n] == container)
            {
                Node(dot, model, n, indent);
            }
        }

        for (var c = 0; c < model.Clusters.Length; c++)
        {
            if (model.ClusterParent[c] == container)
            {
                var cluster = model.Clusters[c];
                dot.Append($"{indent}subgraph cluster_{c} {{\n")
                    .Append($"{indent}  label={Q($"{cluster.Name} ({GraphModel.KindName(cluster)})")};\n")
                    .Append($"{indent}  style=\"rounded,filled\"; fillcolor=\"{(model.ClusterDepth[c] % 2 == 0 ? "#f8fafc" : "#eef2f7")}\"; color=\"#94a3b8\";\n");
                Contents(dot, model, c, indent + "  ");
                dot.Append($"{indent}}}\n");
            }
        }
    }

    private static void Node(StringBuilder dot, GraphModel model, int n, string indent)
    {
        var node = model.Nodes[n];
        var state = model.States[n];
        var (fill, stroke, text) = StatePalette.Of(state);
        dot.Append($"{indent}n{n} [label=\"{E(node.Name)}\\n{E(node.TaskName)}\", fillcolor=\"{fill}\", color=\"{stroke}\", fontcolor=\"{text}\", ")
            .Append($"tooltip=\"{E(node.Name)}: {state}\"");
        if (node.IsRetry)
        {
            dot.Append(", style=\"rounded,filled,bold\", peripheries=2");
        }

        dot.Append("];\n");
    }

    /// <summary>A DOT quoted string.</summary>
    private static string Q(string? text) => $"\"{E(text)}\"";

    /// <summary>Text for inside a DOT quoted string: backslashes and quotes escaped, control characters as spaces.</summary>
    private static string E(string? text) => GraphModel.Clean(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
