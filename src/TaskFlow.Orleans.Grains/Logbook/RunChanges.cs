using System.Collections.Immutable;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>One record call's changes: the run record (whole) and the atoms that changed.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.RunChanges")]
internal sealed record RunChanges
{
    /// <summary>The run record.</summary>
    [Id(0)] public required RunRecord Run { get; init; }

    /// <summary>The atoms that changed.</summary>
    [Id(1)] public ImmutableArray<AtomChange> Atoms { get; init; } = [];
}
