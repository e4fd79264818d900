using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>The persisted results of a flow run's storage: what changes as the flow runs (the setup is persisted apart, once).</summary>
[GenerateSerializer]
[Alias("taskflow.StorageGrainState")]
public sealed class StorageGrainState
{
    /// <summary>Execute results by atom id.</summary>
    [Id(1)] public Dictionary<int, object?> Results { get; set; } = [];

    /// <summary>Execute failures by atom id.</summary>
    [Id(2)] public Dictionary<int, Failure> Failures { get; set; } = [];

    /// <summary>Revert failures by atom id.</summary>
    [Id(3)] public Dictionary<int, Failure> RevertFailures { get; set; } = [];
}
