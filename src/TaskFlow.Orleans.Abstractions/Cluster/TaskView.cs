using System.Collections.Immutable;

namespace TaskFlow.Orleans.Cluster;

/// <summary>A registered task: its name, its arguments, what it provides by default, and where it can run.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.TaskView")]
public sealed record TaskView
{
    /// <summary>The registered name flows refer to it by.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The arguments it requires (its execute and revert parameters without defaults).</summary>
    [Id(1)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>The arguments it takes when they are available (parameters with defaults).</summary>
    [Id(2)] public ImmutableArray<string> Optional { get; init; } = [];

    /// <summary>The names its result is stored under when a flow does not say (<c>[DefaultProvides]</c>).</summary>
    [Id(3)] public ImmutableArray<string> Provides { get; init; } = [];

    /// <summary>The capabilities a silo must advertise to run it (<c>[RequiresCapability]</c>); empty: any silo.</summary>
    [Id(4)] public ImmutableArray<string> Capabilities { get; init; } = [];
}
