using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>The persisted contents of a flow run's storage.</summary>
[GenerateSerializer]
[Alias("taskflow.StorageGrainState")]
public sealed class StorageGrainState
{
    /// <summary>Atoms, bindings and inputs; <see langword="null"/> until the run is initialized.</summary>
    [Id(0)] public StorageSetup? Setup { get; set; }

    /// <summary>Execute results by atom id.</summary>
    [Id(1)] public Dictionary<int, object?> Results { get; set; } = [];

    /// <summary>Execute failures by atom id.</summary>
    [Id(2)] public Dictionary<int, Failure> Failures { get; set; } = [];

    /// <summary>Revert failures by atom id.</summary>
    [Id(3)] public Dictionary<int, Failure> RevertFailures { get; set; } = [];
}
