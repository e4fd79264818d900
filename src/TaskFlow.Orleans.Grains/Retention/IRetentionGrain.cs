namespace TaskFlow.Orleans.Grains.Retention;

/// <summary>The cluster's one retention sweeper (key 0): a reminder wakes it every
/// <see cref="Options.TaskFlowRetentionOptions.Interval"/> to delete finished runs older than the retention time.</summary>
/// <remarks>For silos only (<see cref="SiloOnlyAttribute"/>): each silo asks it at start to schedule (or, with retention off,
/// unschedule) its reminder.</remarks>
[SiloOnly]
[Alias("taskflow.IRetentionGrain")]
internal interface IRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the sweep's reminder when retention is on and it is missing or has another period; removes it when
    /// retention is off.</summary>
    /// <returns>Whether the sweep is scheduled.</returns>
    [Alias("ensure-scheduled")]
    Task<bool> EnsureScheduledAsync();
}
