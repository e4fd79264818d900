using System.Collections.Immutable;

namespace TaskFlow.Orleans.Storage;

/// <summary>What storage keeps about one atom: its stable id, name, provides, injected values and argument bindings.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomSetup")]
internal sealed record AtomSetup
{
    /// <summary>The atom's stable id within the flow.</summary>
    [Id(0)] public required int Id { get; init; }

    /// <summary>The atom's name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>Names its result is stored under.</summary>
    [Id(2)] public ImmutableArray<string> Provides { get; init; } = [];

    /// <summary>Values injected for this atom only.</summary>
    [Id(3)] public ImmutableDictionary<string, object?> Injected { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>How each argument is found.</summary>
    [Id(4)] public ImmutableArray<ArgumentBinding> Arguments { get; init; } = [];
}
