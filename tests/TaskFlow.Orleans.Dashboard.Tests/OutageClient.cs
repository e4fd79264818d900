using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>The real client, except that the store reads fail as they do when the database is down, while <see cref="Down"/>.</summary>
public sealed class OutageClient(ITaskFlowClient inner) : ITaskFlowClient
{
    public const string Message = "The run store at 127.0.0.1:5432 did not answer (connection refused).";

    public volatile bool Down;

    private T Check<T>(T value) => Down ? throw new FlowStorageException(Message) : value;

    public Task<FlowHandle> StartAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.StartAsync(factoryName, inputs, options, cancellationToken);

    public Task<FlowHandle> StartAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.StartAsync(definition, inputs, options, cancellationToken);

    public Task<FlowResult> RunAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.RunAsync(factoryName, inputs, options, cancellationToken);

    public Task<FlowResult> RunAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.RunAsync(definition, inputs, options, cancellationToken);

    public FlowHandle GetFlowHandle(string flowId) => inner.GetFlowHandle(flowId);

    public Task<Index.FlowPage> ListFlowsAsync(Index.FlowQuery? query = null, CancellationToken cancellationToken = default) =>
        Check(inner).ListFlowsAsync(query, cancellationToken);

    public Task<IReadOnlyDictionary<States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default) =>
        Check(inner).CountByStateAsync(cancellationToken);

    public Task<Snapshots.FlowSnapshot> GetStoredSnapshotAsync(string flowId, CancellationToken cancellationToken = default) =>
        Check(inner).GetStoredSnapshotAsync(flowId, cancellationToken);

    public Task<Graphs.FlowGraph> GetGraphAsync(string flowId, CancellationToken cancellationToken = default) =>
        Check(inner).GetGraphAsync(flowId, cancellationToken);

    public Task<Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default) => inner.GetClusterAsync(cancellationToken);

    public Task<Cluster.FlowCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) => inner.GetCatalogAsync(cancellationToken);

    public Task<FlowHandle> RerunAsync(string flowId, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        Check(inner).RerunAsync(flowId, options, cancellationToken);

    public Task<bool> PurgeAsync(string flowId, CancellationToken cancellationToken = default) => Check(inner).PurgeAsync(flowId, cancellationToken);
    public Task<TaskFlow.Orleans.Index.PurgeResult> PurgeFinishedAsync(TaskFlow.Orleans.Index.PurgeQuery query, CancellationToken cancellationToken = default) =>
        Check(inner).PurgeFinishedAsync(query, cancellationToken);
}
