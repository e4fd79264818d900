using System.Collections.Immutable;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>
/// A <see cref="FlowGraph"/> resolved for drawing: nodes and clusters by index, each node's cluster, each cluster's parent and
/// depth, edges between known nodes, and each node's state. Tolerates a hand-made graph: a node whose cluster is unknown, or a
/// cluster whose parent is unknown (or whose parents form a cycle), is drawn at the top; an edge naming an unknown atom, or an
/// atom to itself, is left out; of two nodes or clusters with one name the first is used.
/// </summary>
internal sealed class GraphModel
{
    /// <summary>The name of the state of an atom no state is known for.</summary>
    public const string Pending = "PENDING";

    public GraphModel(FlowGraph graph, IReadOnlyDictionary<string, AtomState>? states)
    {
        ArgumentNullException.ThrowIfNull(graph);
        FlowName = graph.FlowName ?? "";
        Nodes = [.. (graph.Nodes.IsDefault ? [] : graph.Nodes).Where(node => node is not null)];
        Clusters = [.. (graph.Clusters.IsDefault ? [] : graph.Clusters).Where(cluster => cluster is not null)];

        var clusterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < Clusters.Length; c++)
        {
            clusterIndex.TryAdd(Clusters[c].Name ?? "", c);
        }

        ClusterParent = new int[Clusters.Length];
        for (var c = 0; c < Clusters.Length; c++)
        {
            ClusterParent[c] = Clusters[c].Parent is { } parent && clusterIndex.TryGetValue(parent, out var p) && p != c ? p : -1;
        }

        ClusterDepth = new int[Clusters.Length];
        for (var c = 0; c < Clusters.Length; c++)
        {
            var depth = 0;
            for (var up = ClusterParent[c]; up >= 0; up = ClusterParent[up])
            {
                if (++depth > Clusters.Length)
                {
                    ClusterParent[c] = -1; // parents in a cycle: draw this one at the top
                    depth = 0;
                    break;
                }
            }

            ClusterDepth[c] = depth;
        }

        var nodeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        NodeCluster = new int[Nodes.Length];
        States = new string[Nodes.Length];
        StateValues = new AtomState?[Nodes.Length];
        for (var n = 0; n < Nodes.Length; n++)
        {
            var node = Nodes[n];
            nodeIndex.TryAdd(node.Name ?? "", n);
            NodeCluster[n] = node.Cluster is { } cluster && clusterIndex.TryGetValue(cluster, out var c) ? c : -1;
            if (states is not null && node.Name is { } name && states.TryGetValue(name, out var state))
            {
                StateValues[n] = state;
                States[n] = StateNames.Of(state);
            }
            else
            {
                States[n] = Pending;
            }
        }

        var edges = new List<(int From, int To, GraphEdge Edge)>();
        foreach (var edge in graph.Edges.IsDefault ? [] : graph.Edges)
        {
            if (edge is { From: { } from, To: { } to } && nodeIndex.TryGetValue(from, out var f) && nodeIndex.TryGetValue(to, out var t) && f != t)
            {
                edges.Add((f, t, edge));
            }
        }

        Edges = edges;
    }

    /// <summary>The flow's name.</summary>
    public string FlowName { get; }

    public ImmutableArray<GraphNode> Nodes { get; }

    /// <summary>The clusters, in the graph's order (parents before children in a graph built by the engine).</summary>
    public ImmutableArray<GraphCluster> Clusters { get; }

    /// <summary>For each node, the index of the cluster holding it, or -1 for the top.</summary>
    public int[] NodeCluster { get; }

    /// <summary>For each cluster, the index of its parent, or -1 for the top.</summary>
    public int[] ClusterParent { get; }

    /// <summary>For each cluster, how many clusters hold it.</summary>
    public int[] ClusterDepth { get; }

    /// <summary>The edges between known nodes, by node index.</summary>
    public IReadOnlyList<(int From, int To, GraphEdge Edge)> Edges { get; }

    /// <summary>For each node, its state's TaskFlow name, or <see cref="Pending"/>.</summary>
    public string[] States { get; }

    /// <summary>For each node, its state when known.</summary>
    public AtomState?[] StateValues { get; }

    /// <summary>Whether an edge is drawn dashed: a decider on it said no, so its target was IGNOREd.</summary>
    public bool IsSkipped((int From, int To, GraphEdge Edge) edge) => edge.Edge.HasDecider && StateValues[edge.To] == AtomState.Ignore;

    /// <summary>A cluster's kind as a word: linear, unordered or graph.</summary>
    public static string KindName(GraphCluster cluster) => cluster.Kind.ToString().ToLowerInvariant();

    /// <summary>Text safe for any output: control characters become spaces, and characters XML cannot carry (lone
    /// surrogates, U+FFFE, U+FFFF) become U+FFFD.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' ? '\uFFFD' : char.IsControl(c) ? ' ' : c);
            }
        }

        return clean.ToString();
    }
}
