using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>The persisted setup of a flow run's storage (atoms, bindings, inputs): written once when the run starts.</summary>
[GenerateSerializer]
[Alias("taskflow.StorageSetupState")]
public sealed class StorageSetupState
{
    /// <summary>Atoms, bindings and inputs; <see langword="null"/> until the run is initialized.</summary>
    [Id(0)] public StorageSetup? Setup { get; set; }
}
