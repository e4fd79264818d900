using System.Collections.Immutable;

namespace TaskFlow.Orleans.Cluster;

/// <summary>One silo of the cluster: its membership entry, and what it registers and runs when it answered.</summary>
/// <remarks>A silo that is not active (or did not answer in time) is listed with its status and start time only: its
/// lists are empty and <see cref="ActiveFlows"/> is <see langword="null"/>.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.SiloView")]
public sealed record SiloView
{
    /// <summary>The silo's identity, the same text runs record as where they ran (<c>FlowSnapshot.Silo</c>,
    /// <c>AtomSnapshot.RanOn</c>, <c>FlowSummary.Silo</c>), e.g. <c>S10.0.0.5:11111:123456789</c>.</summary>
    [Id(0)] public required string Address { get; init; }

    /// <summary>The silo's name, as configured on it (Orleans' <c>SiloOptions.SiloName</c>).</summary>
    [Id(1)] public string? Name { get; init; }

    /// <summary>Its membership status, as Orleans names it: <c>Active</c>, <c>Joining</c>, <c>ShuttingDown</c>,
    /// <c>Stopping</c> or <c>Dead</c>.</summary>
    [Id(2)] public required string Status { get; init; }

    /// <summary>The capabilities it advertises (<c>AdvertiseCapabilities</c>), sorted.</summary>
    [Id(3)] public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>The tasks registered on it, by name, sorted.</summary>
    [Id(4)] public ImmutableArray<string> Tasks { get; init; } = [];

    /// <summary>The flow factories registered on it, by name, sorted.</summary>
    [Id(5)] public ImmutableArray<string> Factories { get; init; } = [];

    /// <summary>When the silo started, as its membership entry says.</summary>
    [Id(6)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>How many runs its engines are driving now (unfinished and not suspended); <see langword="null"/> when the
    /// silo did not answer.</summary>
    [Id(7)] public int? ActiveFlows { get; init; }
}
