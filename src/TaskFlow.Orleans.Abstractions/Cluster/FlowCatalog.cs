using System.Collections.Immutable;

namespace TaskFlow.Orleans.Cluster;

/// <summary>What can be started on the cluster: the flow factories and tasks registered on its active silos.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowCatalog")]
public sealed record FlowCatalog
{
    /// <summary>Every flow factory registered on some active silo, by name, sorted.</summary>
    [Id(0)] public ImmutableArray<FactoryView> Factories { get; init; } = [];

    /// <summary>Every task registered on some active silo, by name, sorted.</summary>
    [Id(1)] public ImmutableArray<TaskView> Tasks { get; init; } = [];
}
