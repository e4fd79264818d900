using System.Collections.Immutable;

namespace TaskFlow.Orleans.Storage;

/// <summary>Everything storage needs to know about a flow run before it starts.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.StorageSetup")]
internal sealed record StorageSetup
{
    /// <summary>The flow's inputs (TaskFlow's <c>store</c>).</summary>
    [Id(0)] public required ImmutableDictionary<string, object?> Inputs { get; init; }

    /// <summary>Every atom, indexed by id.</summary>
    [Id(1)] public required ImmutableArray<AtomSetup> Atoms { get; init; }
}
