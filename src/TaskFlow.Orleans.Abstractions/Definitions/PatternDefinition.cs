using System.Collections.Immutable;

namespace TaskFlow.Orleans.Definitions;

/// <summary>A linear, unordered or graph pattern of atoms and nested patterns.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.PatternDefinition")]
public sealed record PatternDefinition : FlowElement
{
    /// <summary>How the items are ordered.</summary>
    [Id(0)] public required PatternKind Kind { get; init; }

    /// <summary>The items, in insertion order.</summary>
    [Id(1)] public ImmutableArray<FlowElement> Items { get; init; } = [];

    /// <summary>Explicit links between items; only meaningful in a graph pattern.</summary>
    [Id(2)] public ImmutableArray<FlowLink> Links { get; init; } = [];

    /// <summary>The retry controller of this pattern: it runs first and resolves failures of every atom inside, nested patterns without their own retry included.</summary>
    /// <value><see langword="null"/>: failures go to the enclosing pattern's retry, or revert the whole flow.</value>
    [Id(3)] public RetryDefinition? Retry { get; init; }

    /// <summary>For a targeted graph pattern (<see cref="Flow.Targeted"/>): the item that must run; only it and the items it
    /// depends on, directly or not (links and requires/provides), are part of the run (TaskFlow's <c>TargetedFlow</c>).</summary>
    /// <value><see langword="null"/>: every item runs.</value>
    [Id(4)] public string? Target { get; init; }
}
