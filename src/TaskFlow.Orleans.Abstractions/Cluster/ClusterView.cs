using System.Collections.Immutable;

namespace TaskFlow.Orleans.Cluster;

/// <summary>The silos of the cluster as its membership lists them, each with what it registers and runs.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.ClusterView")]
public sealed record ClusterView
{
    /// <summary>Every silo in the membership table, dead ones included (until membership cleans them up): active silos
    /// first, then by name and address.</summary>
    [Id(0)] public ImmutableArray<SiloView> Silos { get; init; } = [];
}
