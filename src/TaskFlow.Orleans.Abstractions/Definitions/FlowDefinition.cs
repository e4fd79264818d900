namespace TaskFlow.Orleans.Definitions;

/// <summary>A complete, serializable flow: a tree of patterns and atoms, built with <see cref="Flow"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowDefinition")]
public sealed record FlowDefinition
{
    /// <summary>The top-level pattern.</summary>
    [Id(0)] public required PatternDefinition Root { get; init; }

    /// <summary>Engine options for runs of this flow.</summary>
    /// <value><see langword="null"/>: <see cref="FlowEngineOptions.Default"/>.</value>
    [Id(1)] public FlowEngineOptions? Options { get; init; }

    /// <summary>The flow's name: the name of its top-level pattern.</summary>
    public string Name => Root.Name;
}
