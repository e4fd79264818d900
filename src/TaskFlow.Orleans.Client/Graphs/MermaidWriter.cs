using System.Text;

namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>Writes a graph as a Mermaid <c>flowchart TD</c>: one subgraph <c>cN</c> per pattern, atoms as <c>nN</c> (N their
/// index, so any name is a safe id), labels quoted with every special character as an entity code, and a class per state.</summary>
internal static class MermaidWriter
{
    public static string Write(GraphModel model)
    {
        var mermaid = new StringBuilder("flowchart TD\n");
        Contents(mermaid, model, container: -1, indent: "  ");
        foreach (var edge in model.Edges)
        {
            var arrow = model.IsSkipped(edge) ? " -.->|skipped| " : edge.Edge.HasDecider ? " -->|decider| " : " --> ";
            mermaid.Append($"  n{edge.From}{arrow}n{edge.To}\n");
        }

        foreach (var state in StatePalette.Names)
        {
            var nodes = Enumerable.Range(0, model.Nodes.Length).Where(n => model.States[n] == state).ToList();
            if (nodes.Count > 0)
            {
                var (fill, stroke, text) = StatePalette.Of(state);
                mermaid.Append($"  classDef {ClassName(state)} fill:{fill},stroke:{stroke},color:{text}\n")
                    .Append($"  class {string.Join(",", nodes.Select(n => $"n{n}"))} {ClassName(state)}\n");
            }
        }

        return mermaid.ToString();
    }

    private static void Contents(StringBuilder mermaid, GraphModel model, int container, string indent)
    {
        for (var n = 0; n < model.Nodes.Length; n++)
        {
            if (model.NodeCluster[n] == container)
            {
                var node = model.Nodes[n];
                var label = $"\"{E(node.Name)}<br/>{E(node.TaskName)}\"";
                // A retry controller is a hexagon.
                mermaid.Append($"{indent}n{n}{(node.IsRetry ? $"{{{{{label}}}}}" : $"[{label}]")}\n");
            }
        }

        for (var c = 0; c < model.Clusters.Length; c++)
        {
            if (model.ClusterParent[c] == container)
            {
                var cluster = model.Clusters[c];
                mermaid.Append($"{indent}subgraph c{c}[\"{E(cluster.Name)} ({GraphModel.KindName(cluster)})\"]\n")
                    .Append($"{indent}  direction TB\n");
                Contents(mermaid, model, c, indent + "  ");
                mermaid.Append($"{indent}end\n");
            }
        }
    }

    /// <summary>Text for inside a quoted Mermaid label: characters Mermaid or HTML give a meaning as numeric entity codes
    /// (<c>#60;</c> for &lt;), control characters as spaces.</summary>
    private static string E(string? text)
    {
        var escaped = new StringBuilder();
        foreach (var c in GraphModel.Clean(text))
        {
            if (c is '"' or '&' or '<' or '>' or '#' or '`' or '\'' or '\\' or '|' or '[' or ']' or '{' or '}' or '(' or ')')
            {
                escaped.Append('#').Append((int)c).Append(';');
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static string ClassName(string state) => "state_" + state.ToLowerInvariant();
}
