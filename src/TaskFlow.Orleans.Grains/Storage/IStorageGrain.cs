using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>
/// The logbook of one flow run, keyed by flow id, and its only writer: names to ids, inputs, every atom's state, intention,
/// attempt, result, failure, retry history, timings and progress, and argument preparation (rebind, optional arguments,
/// scoping). The engine (<c>FlowGrain</c>) keeps its state in memory, asks this grain to record each change, and rebuilds
/// from it when activated.
/// </summary>
/// <remarks>For the engine only (<see cref="SiloOnlyAttribute"/>): clients read runs through the flow grain or the run index.</remarks>
[SiloOnly]
[Alias("taskflow.IStorageGrain")]
internal interface IStorageGrain : IGrainWithStringKey
{
    /// <summary>Reads the run's logbook once everything recorded is durable.</summary>
    /// <returns>The logbook, or <see langword="null"/> when no run has this id.</returns>
    [Alias("open")]
    Task<RunLogbook?> OpenAsync();

    /// <summary>Opens the logbook for an engine that is to drive the run: an unfinished run is driven by one engine at a time.
    /// The engine renews its claim while it runs (<see cref="RenewAsync"/>) and gives it up when it deactivates.</summary>
    /// <param name="engine">The activation of the engine (a new id per activation).</param>
    /// <returns>The logbook, or <see langword="null"/> when no run has this id.</returns>
    /// <exception cref="RunActiveElsewhereException">Another engine renewed its claim on this unfinished run within the
    /// lease: this one must not drive it (the cluster briefly holds two activations).</exception>
    [Alias("claim")]
    Task<RunLogbook?> ClaimAsync(Guid engine);

    /// <summary>Renews an engine's claim on the run.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>A task.</returns>
    [Alias("renew")]
    Task RenewAsync(Guid engine);

    /// <summary>Gives up an engine's claim (it is deactivating), so the next activation takes over at once.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>A task.</returns>
    [Alias("release")]
    Task ReleaseAsync(Guid engine);

    /// <summary>Creates the run: its header and first changes in one durable write, then prepares the first dispatches.</summary>
    /// <param name="header">Definition, inputs and bindings.</param>
    /// <param name="changes">The first changes (the flow and its first atoms RUNNING).</param>
    /// <param name="executeAtomIds">The atoms about to execute.</param>
    /// <param name="engine">The engine that creates the run, and so drives it (see <see cref="ClaimAsync"/>).</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="FlowAlreadyExistsException">A run with this id exists.</exception>
    [Alias("create")]
    Task<RecordReceipt> CreateAsync(RunHeader header, RunChanges changes, int[] executeAtomIds, Guid engine);

    /// <summary>Records changes, then prepares the arguments of the atoms about to execute and revert.</summary>
    /// <param name="expectedSequence">The sequence the engine last got: a mismatch means the engine's view is stale.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="executeAtomIds">Atoms about to execute.</param>
    /// <param name="revertAtomIds">Atoms about to revert.</param>
    /// <param name="durable">Whether to answer only once the changes are durable (TaskFlow's save order).</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="LogbookConflictException">The engine's view and the logbook disagree: the engine must rebuild.</exception>
    [Alias("record")]
    Task<RecordReceipt> RecordAsync(long expectedSequence, RunChanges changes, int[] executeAtomIds, int[] revertAtomIds, bool durable);

    /// <summary>Deletes the finished run from the store (conditionally: see <see cref="ILogbookStore.DeleteAsync"/>) and
    /// forgets it; this activation then deactivates.</summary>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no such run is stored.</returns>
    /// <exception cref="FlowNotFinishedException">The stored run is not finished; nothing was deleted.</exception>
    [Alias("purge")]
    Task<bool> PurgeAsync();

    /// <summary>The run as recorded (durable), as a snapshot.</summary>
    /// <returns>The snapshot.</returns>
    [Alias("get-snapshot")]
    Task<FlowSnapshot> GetSnapshotAsync();

    /// <summary>The run as recorded, with a page of its atoms (see <c>IFlowGrain.GetSnapshotPageAsync</c>).</summary>
    /// <param name="skip">How many atoms to skip.</param>
    /// <param name="take">How many atoms to return.</param>
    /// <returns>The snapshot.</returns>
    [Alias("get-snapshot-page")]
    Task<FlowSnapshot> GetSnapshotPageAsync(int skip, int take);
}
