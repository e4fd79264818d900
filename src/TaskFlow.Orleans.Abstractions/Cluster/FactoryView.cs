using System.Collections.Immutable;

namespace TaskFlow.Orleans.Cluster;

/// <summary>A registered flow factory: its name, description, and what the flow it builds needs and gives.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FactoryView")]
public sealed record FactoryView
{
    /// <summary>The name clients start it by (<c>StartAsync(name, ...)</c>).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>What it does, as given when it was registered (<c>AddFlow(name, factory, description)</c>).</summary>
    [Id(1)] public string? Description { get; init; }

    /// <summary>The names the flow needs as inputs (TaskFlow's <c>flow.requires</c>, from <c>FlowCompiler.Describe</c>),
    /// sorted; empty when the silo could not build or describe it.</summary>
    [Id(2)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>The names the flow provides as results (TaskFlow's <c>flow.provides</c>), sorted; empty when the silo could
    /// not build or describe it.</summary>
    [Id(3)] public ImmutableArray<string> Provides { get; init; } = [];
}
