using System.Collections.Immutable;

namespace TaskFlow.Orleans.Graphs;

/// <summary>
/// A flow run's graph as data, for drawing it: its atoms (tasks and retry controllers), the patterns that hold them, and the
/// order the engine runs them in, one edge per "runs after" between two atoms.
/// </summary>
/// <remarks>
/// Built from the compiled execution graph, so it shows what the engine does: edges inferred from requires and provides, a
/// pattern's retry before the pattern's items, and patterns joined to what comes before and after them. Read it with
/// <c>ITaskFlowClient.GetGraphAsync</c>; render it with the client library's <c>FlowGraphRenderer</c>.
/// </remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowGraph")]
public sealed record FlowGraph
{
    /// <summary>The flow's name (its root pattern's).</summary>
    [Id(0)] public required string FlowName { get; init; }

    /// <summary>Every atom, by atom id (definition order; a pattern's retry comes before the pattern's items).</summary>
    [Id(1)] public ImmutableArray<GraphNode> Nodes { get; init; } = [];

    /// <summary>Every pattern, parents before their children, the root first.</summary>
    [Id(2)] public ImmutableArray<GraphCluster> Clusters { get; init; } = [];

    /// <summary>Every "runs after" between two atoms, once each, ordered by source then target atom id.</summary>
    [Id(3)] public ImmutableArray<GraphEdge> Edges { get; init; } = [];
}
