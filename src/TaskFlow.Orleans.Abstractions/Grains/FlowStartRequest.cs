using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains;

/// <summary>Starts a flow run: either a definition, or the name of a flow factory registered on the silo, plus inputs.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowStartRequest")]
public sealed record FlowStartRequest
{
    /// <summary>The flow to run, when given as a definition.</summary>
    [Id(0)] public FlowDefinition? Definition { get; init; }

    /// <summary>The registered flow factory to build the flow from, when given by name.</summary>
    [Id(1)] public string? FactoryName { get; init; }

    /// <summary>The flow's inputs (TaskFlow's <c>store</c>).</summary>
    [Id(2)] public ImmutableDictionary<string, object?> Inputs { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>The run's durability; <see langword="null"/> for the silo's default (<c>TaskFlowOptions.Durability</c>).</summary>
    [Id(3)] public Definitions.Durability? Durability { get; init; }

    /// <summary>Tags to find the run by in the run index.</summary>
    [Id(4)] public ImmutableArray<string> Tags { get; init; } = [];
}
