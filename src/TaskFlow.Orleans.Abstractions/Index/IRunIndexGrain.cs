using System.Collections.Immutable;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Index;

/// <summary>The run index of the cluster: lists and counts runs from the store, never activating a run.</summary>
/// <remarks>A stateless worker: any silo answers from the store its runs are kept in. Use key 0.</remarks>
[Alias("taskflow.IRunIndexGrain")]
public interface IRunIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Lists runs.</summary>
    /// <param name="query">Filters and the page.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">A parameter of the query is out of range; the message names it.</exception>
    [Alias("list")]
    Task<FlowPage> ListAsync(FlowQuery query);

    /// <summary>Counts runs by state (states with none are left out).</summary>
    /// <returns>The counts.</returns>
    [Alias("count-by-state")]
    Task<ImmutableDictionary<FlowState, long>> CountByStateAsync();

    /// <summary>Reads a run's snapshot from its logbook, without activating or resuming it.</summary>
    /// <param name="flowId">The run.</param>
    /// <returns>The snapshot (<see cref="Snapshots.SnapshotSource.Logbook"/>).</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("get-stored-snapshot")]
    Task<Snapshots.FlowSnapshot> GetStoredSnapshotAsync(string flowId);

    /// <summary>Reads a run's graph, compiled from the definition and inputs its logbook records with this silo's tasks,
    /// without activating or resuming the run.</summary>
    /// <param name="flowId">The run.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    /// <exception cref="FlowCompilationException">The run's definition no longer compiles on this silo (a task or decider it
    /// uses is not registered).</exception>
    [Alias("get-graph")]
    Task<Graphs.FlowGraph> GetGraphAsync(string flowId);

    /// <summary>What a run was started with, read from its logbook without activating or resuming it: its stored definition,
    /// factory name, inputs, durability and tags (to start it again).</summary>
    /// <param name="flowId">The run.</param>
    /// <returns>The request that starts a run like it.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("get-start-request")]
    Task<Grains.FlowStartRequest> GetStartRequestAsync(string flowId);

    /// <summary>Purges one batch of finished runs: deletes up to <see cref="PurgeQuery.BatchSize"/> runs that match, oldest
    /// finish first (their logbooks and run-index entries, in one database statement), and makes any engine still active for
    /// one of them forget it. For a dry run, counts every match and deletes nothing.</summary>
    /// <remarks>Call it until a batch deletes fewer than the batch size (<c>ITaskFlowClient.PurgeFinishedAsync</c> does), so no
    /// single call runs long.</remarks>
    /// <param name="query">Which runs, the batch size, and whether it is a dry run.</param>
    /// <returns>What this batch deleted (a dry run: what matches).</returns>
    /// <exception cref="ArgumentException">The query is invalid; the message says how to fix it.</exception>
    /// <exception cref="FlowStorageException">The database failed; nothing of this batch was deleted.</exception>
    [Alias("purge-finished-batch")]
    Task<PurgeResult> PurgeFinishedBatchAsync(PurgeQuery query);
}
