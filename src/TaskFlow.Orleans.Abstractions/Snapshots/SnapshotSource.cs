namespace TaskFlow.Orleans.Snapshots;

/// <summary>Where a <see cref="FlowSnapshot"/> was read.</summary>
[GenerateSerializer]
[Alias("taskflow.SnapshotSource")]
public enum SnapshotSource : byte
{
    /// <summary>From the run's engine, which was activated (and so resumed) if it was not running: what is recorded, with
    /// the latest progress reports.</summary>
    Engine = 0,

    /// <summary>From the run's logbook in the store, without activating or resuming the run: what is durable.</summary>
    Logbook = 1,
}
