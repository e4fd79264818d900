using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Graphs;

/// <summary>One pattern (flow or subflow) of a <see cref="FlowGraph"/>, drawn as a box around its atoms and nested patterns.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.GraphCluster")]
public sealed record GraphCluster
{
    /// <summary>The pattern's name, unique in the flow.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>How the pattern orders its items.</summary>
    [Id(1)] public required PatternKind Kind { get; init; }

    /// <summary>The name of the pattern holding it.</summary>
    /// <value><see langword="null"/> for the root pattern.</value>
    [Id(2)] public string? Parent { get; init; }

    /// <summary>The atom name of the pattern's retry controller.</summary>
    /// <value><see langword="null"/> when the pattern has no retry of its own.</value>
    [Id(3)] public string? Retry { get; init; }
}
