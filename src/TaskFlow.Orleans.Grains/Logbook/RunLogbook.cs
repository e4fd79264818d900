using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>A run's whole logbook as the engine rebuilds from it: header, run record and every atom record.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.RunLogbook")]
internal sealed class RunLogbook
{
    /// <summary>The header.</summary>
    [Id(0)] public required RunHeader Header { get; init; }

    /// <summary>The run record.</summary>
    [Id(1)] public required RunRecord Run { get; init; }

    /// <summary>Every atom's record, by atom id.</summary>
    [Id(2)] public required AtomRecord[] Atoms { get; init; }
}
