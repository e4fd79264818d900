namespace TaskFlow.Orleans.Graphs;

/// <summary>One "runs after" of a <see cref="FlowGraph"/>: <see cref="To"/> runs once <see cref="From"/> is done.</summary>
/// <remarks>Edges join atoms only: where the engine joins patterns (a pattern's start and end), the edge goes from each atom
/// that ends the first to each atom that starts the second.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.GraphEdge")]
public sealed record GraphEdge
{
    /// <summary>The atom that finishes first (by name).</summary>
    [Id(0)] public required string From { get; init; }

    /// <summary>The atom that runs after it (by name).</summary>
    [Id(1)] public required string To { get; init; }

    /// <summary>
    /// Whether a link decider the engine asks before <see cref="To"/> runs lies on this edge: a decider on a link from
    /// <see cref="From"/> (or from a pattern <see cref="From"/> ends) into <see cref="To"/> (or into a pattern <see cref="To"/>
    /// starts). When that decider says no, <see cref="To"/> is IGNOREd.
    /// </summary>
    [Id(2)] public bool HasDecider { get; init; }
}
