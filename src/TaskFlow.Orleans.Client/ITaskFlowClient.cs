using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Client;

/// <summary>Runs, starts and re-attaches to flows on a TaskFlow.Orleans cluster.</summary>
public interface ITaskFlowClient
{
    /// <summary>Starts a flow built by a factory registered on the silos, and returns at once.</summary>
    /// <param name="factoryName">The registered flow factory, e.g. <c>boot-server</c>.</param>
    /// <param name="inputs">The flow's inputs.</param>
    /// <param name="options">The run's id and other options.</param>
    /// <param name="cancellationToken">Cancels the request (not the flow).</param>
    /// <returns>A handle to the run.</returns>
    /// <exception cref="TaskNotRegisteredException">No silo has that factory.</exception>
    /// <exception cref="FlowCompilationException">The flow is invalid with these inputs; nothing was started.</exception>
    /// <exception cref="FlowAlreadyExistsException">A run with the given id exists.</exception>
    /// <exception cref="ArgumentException"><see cref="StartFlowOptions.FlowId"/> breaks the flow id rules (<see cref="Limits.FlowIds"/>); nothing was sent.</exception>
    /// <exception cref="LimitExceededException">An input, or the inputs together, or the flow's atom count is over a limit of
    /// <see cref="Limits.TaskFlowLimits"/>; nothing was stored.</exception>
    Task<FlowHandle> StartAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a flow from its definition, and returns at once.</summary>
    /// <param name="definition">The flow; its tasks must be registered on the silos.</param>
    /// <param name="inputs">The flow's inputs.</param>
    /// <param name="options">The run's id and other options.</param>
    /// <param name="cancellationToken">Cancels the request (not the flow).</param>
    /// <returns>A handle to the run.</returns>
    /// <exception cref="FlowCompilationException">The flow is invalid; nothing was started.</exception>
    /// <exception cref="FlowAlreadyExistsException">A run with the given id exists.</exception>
    /// <exception cref="ArgumentException"><see cref="StartFlowOptions.FlowId"/> breaks the flow id rules (<see cref="Limits.FlowIds"/>); nothing was sent.</exception>
    /// <exception cref="LimitExceededException">An input, or the inputs together, or the flow's atom count is over a limit of
    /// <see cref="Limits.TaskFlowLimits"/>; nothing was stored.</exception>
    Task<FlowHandle> StartAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a registered flow to its end and returns its results.</summary>
    /// <param name="factoryName">The registered flow factory.</param>
    /// <param name="inputs">The flow's inputs.</param>
    /// <param name="options">The run's id and other options.</param>
    /// <param name="cancellationToken">Stops waiting (the flow goes on).</param>
    /// <returns>The results.</returns>
    /// <exception cref="FlowFailedException">The flow ended REVERTED or FAILURE; carries its failures.</exception>
    /// <exception cref="ArgumentException"><see cref="StartFlowOptions.FlowId"/> breaks the flow id rules (<see cref="Limits.FlowIds"/>); nothing was sent.</exception>
    /// <exception cref="LimitExceededException">An input, or the inputs together, or the flow's atom count is over a limit of
    /// <see cref="Limits.TaskFlowLimits"/>; nothing was stored.</exception>
    Task<FlowResult> RunAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a flow to its end and returns its results.</summary>
    /// <param name="definition">The flow.</param>
    /// <param name="inputs">The flow's inputs.</param>
    /// <param name="options">The run's id and other options.</param>
    /// <param name="cancellationToken">Stops waiting (the flow goes on).</param>
    /// <returns>The results.</returns>
    /// <exception cref="FlowFailedException">The flow ended REVERTED or FAILURE; carries its failures.</exception>
    /// <exception cref="ArgumentException"><see cref="StartFlowOptions.FlowId"/> breaks the flow id rules (<see cref="Limits.FlowIds"/>); nothing was sent.</exception>
    /// <exception cref="LimitExceededException">An input, or the inputs together, or the flow's atom count is over a limit of
    /// <see cref="Limits.TaskFlowLimits"/>; nothing was stored.</exception>
    Task<FlowResult> RunAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A handle to an existing run, by id; nothing is checked until the handle is used.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="flowId"/> breaks the flow id rules (<see cref="Limits.FlowIds"/>).</exception>
    FlowHandle GetFlowHandle(string flowId);

    /// <summary>Lists runs of the cluster from the run index, newest first, without activating (or resuming) any of them.</summary>
    /// <param name="query">Filters (states, name, tag, creation time, id prefix) and the page; <see langword="null"/> for the
    /// first page of every run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the total that match and the token of the next page.</returns>
    /// <exception cref="ArgumentException">A parameter of the query is out of range; the message names it.</exception>
    Task<Index.FlowPage> ListFlowsAsync(Index.FlowQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Counts the cluster's runs by state, from the run index.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The count of each state that has runs.</returns>
    Task<IReadOnlyDictionary<States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a run's snapshot from its logbook without activating or resuming it (a crashed or stopped run stays as
    /// it is): states, results, failures with causes and stack traces, timings and progress as recorded.</summary>
    /// <param name="flowId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot; its <see cref="Snapshots.FlowSnapshot.Source"/> is <see cref="Snapshots.SnapshotSource.Logbook"/>
    /// (<see cref="FlowHandle.GetSnapshotAsync"/> asks the run's engine instead).</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    Task<Snapshots.FlowSnapshot> GetStoredSnapshotAsync(string flowId, CancellationToken cancellationToken = default);

    /// <summary>Reads a run's graph: its atoms, the patterns that hold them and the order they run in, compiled from the
    /// definition its logbook records, without activating or resuming the run.</summary>
    /// <remarks>Draw it with <see cref="Client.Graphs.FlowGraphRenderer"/>, coloured by the states of <see cref="GetStoredSnapshotAsync"/>
    /// (or of a live snapshot).</remarks>
    /// <param name="flowId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    /// <exception cref="FlowCompilationException">The run's definition no longer compiles on the silo that answered (a task
    /// or decider it uses is not registered there).</exception>
    Task<Orleans.Graphs.FlowGraph> GetGraphAsync(string flowId, CancellationToken cancellationToken = default);

    /// <summary>The cluster's silos from Orleans' membership, dead ones included, each with its status, start time and, for
    /// active silos, the capabilities it advertises, the tasks and flow factories it registers and how many runs it drives.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The silos, active ones first.</returns>
    Task<Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default);

    /// <summary>What can be started on the cluster: the flow factories (with their descriptions, and the inputs the flows need
    /// and the results they provide) and the tasks (with their arguments and the capabilities they need) registered on its
    /// active silos.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The catalog: the union over the active silos, sorted by name.</returns>
    Task<Cluster.FlowCatalog> GetCatalogAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a new run like a stored one: the same definition (a factory's run keeps its factory name but runs the
    /// definition stored with it, so it does what the original did even if the factory changed since), inputs, durability
    /// and tags, plus the tag <c>rerun-of:&lt;flowId&gt;</c>. The stored run is read from its logbook without activating it,
    /// and stays as it is.</summary>
    /// <param name="flowId">The run to start again, in any state.</param>
    /// <param name="options">The new run's id (a new GUID when not given), a durability that replaces the stored one, and
    /// tags added to the stored ones.</param>
    /// <param name="cancellationToken">Cancels the request (not the new run).</param>
    /// <returns>A handle to the new run.</returns>
    /// <exception cref="FlowNotFoundException">No run has <paramref name="flowId"/>.</exception>
    /// <exception cref="FlowAlreadyExistsException">A run with the new id exists.</exception>
    /// <exception cref="FlowCompilationException">The stored definition no longer compiles on the silos (a task it uses is no
    /// longer registered); nothing was started.</exception>
    /// <exception cref="ArgumentException">The re-run's tag would break the tag rules (<paramref name="flowId"/> is too long
    /// for a tag, or there would be more than 20 tags).</exception>
    Task<FlowHandle> RerunAsync(string flowId, StartFlowOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished run (SUCCESS, FAILURE or REVERTED) from its logbook and the run index. Afterwards the id
    /// names no run, and may be used for a new one.</summary>
    /// <remarks>The purge goes through the run's engine, which forgets the run and deactivates, so it never answers with the
    /// purged run or writes it back; the store deletes only a run it holds as finished.</remarks>
    /// <param name="flowId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when the run was deleted; <see langword="false"/> when no run has this id.</returns>
    /// <exception cref="FlowNotFinishedException">The run is running, suspended or resuming; nothing was deleted. Wait for it
    /// to finish or cancel it, then purge it.</exception>
    Task<bool> PurgeAsync(string flowId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every finished run that matches <paramref name="query"/> (its logbook and run-index entry), in batches
    /// of <see cref="Index.PurgeQuery.BatchSize"/> runs, one database statement and one silo call per batch; or, for a dry
    /// run, counts them. SUSPENDED and unfinished runs are never deleted.</summary>
    /// <remarks>Engines still active for a deleted run are made to forget it, as with <see cref="PurgeAsync"/>. Cancelling stops
    /// between batches: the batches already done stay deleted.</remarks>
    /// <param name="query">The finish time before which runs are purged, their states, the batch size, and dry run.</param>
    /// <param name="cancellationToken">Cancels the purge between batches.</param>
    /// <returns>How many runs were deleted (dry run: match) and the earliest finish time among them.</returns>
    /// <exception cref="ArgumentException">The query is invalid (a state that is not finished, a batch size out of range);
    /// the message says how to fix it.</exception>
    /// <exception cref="FlowStorageException">The database failed; the batches before the failure stay deleted.</exception>
    Task<Index.PurgeResult> PurgeFinishedAsync(Index.PurgeQuery query, CancellationToken cancellationToken = default);
}
