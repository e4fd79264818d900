namespace TaskFlow.Orleans.Definitions;

/// <summary>An explicit edge in a graph pattern: <see cref="To"/> runs after <see cref="From"/>.</summary>
/// <param name="From">The item (atom or nested flow) that must finish first.</param>
/// <param name="To">The item that runs after it.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowLink")]
public sealed record FlowLink([property: Id(0)] string From, [property: Id(1)] string To);
