using System.Collections.Immutable;
using TaskFlow.Orleans.Cluster;

namespace TaskFlow.Orleans.Grains.Cluster;

/// <summary>One silo, answering about itself: keyed by its address (<see cref="SiloAddress.ToParsableString"/>) and placed
/// on it (<see cref="SiloPinnedPlacementAttribute"/>). Asked by the cluster grain only (<see cref="SiloOnlyAttribute"/>).</summary>
[SiloOnly]
[Alias("taskflow.ISiloInfoGrain")]
internal interface ISiloInfoGrain : IGrainWithStringKey
{
    /// <summary>What the silo registers and runs.</summary>
    /// <returns>The silo's answer.</returns>
    [Alias("get-info")]
    Task<SiloInfo> GetInfoAsync();
}

/// <summary>What one silo registers and runs, as it answers about itself.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.SiloInfo")]
internal sealed record SiloInfo
{
    /// <summary>The silo's identity (the text runs record as where they ran).</summary>
    [Id(0)] public required string Identity { get; init; }

    /// <summary>The capabilities it advertises, sorted.</summary>
    [Id(1)] public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>Its tasks, sorted by name.</summary>
    [Id(2)] public ImmutableArray<TaskView> Tasks { get; init; } = [];

    /// <summary>Its flow factories, sorted by name.</summary>
    [Id(3)] public ImmutableArray<FactoryView> Factories { get; init; } = [];

    /// <summary>How many runs its engines are driving.</summary>
    [Id(4)] public int ActiveFlows { get; init; }
}
