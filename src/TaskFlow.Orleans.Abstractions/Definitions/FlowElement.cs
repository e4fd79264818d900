namespace TaskFlow.Orleans.Definitions;

/// <summary>A node of a flow definition tree: an atom or a nested pattern.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowElement")]
public abstract record FlowElement
{
    /// <summary>The element's name, unique within the whole flow.</summary>
    [Id(0)] public required string Name { get; init; }
}
