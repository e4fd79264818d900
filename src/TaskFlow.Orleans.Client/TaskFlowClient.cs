using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Limits;

namespace TaskFlow.Orleans.Client;

/// <summary>Runs, starts and re-attaches to flows over an Orleans <see cref="IClusterClient"/> (or any <see cref="IGrainFactory"/>).</summary>
/// <remarks>Flow ids and inputs are checked against <see cref="TaskFlowLimits"/> before anything is sent (silos check them
/// again): a bad id throws <see cref="ArgumentException"/>, inputs over a size limit <see cref="LimitExceededException"/>.
/// Inputs are measured as Orleans serializes them, when the client's serializer can be found (an <see cref="IClusterClient"/>,
/// or the DI registration <c>AddTaskFlowClient</c>).</remarks>
public sealed class TaskFlowClient : ITaskFlowClient
{
    /// <summary>The tag a re-run carries, followed by the id of the run it repeats (<see cref="RerunAsync"/>).</summary>
    public const string RerunTagPrefix = "rerun-of:";

    /// <summary>The longest tag a run may carry (see <see cref="StartFlowOptions.Tags"/>).</summary>
    private const int MaxTagLength = 100;

    private readonly IGrainFactory _grainFactory;
    private readonly TaskFlowLimits _limits;
    private readonly Serializer? _serializer;

    /// <summary>Creates a client with the default <see cref="TaskFlowLimits"/>.</summary>
    /// <param name="grainFactory">The cluster client, or a grain factory inside a silo.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grainFactory"/> is null.</exception>
    public TaskFlowClient(IGrainFactory grainFactory)
        : this(grainFactory, new TaskFlowLimits())
    {
    }

    /// <summary>Creates a client that checks flow ids and inputs against the silos' <paramref name="limits"/> before sending.</summary>
    /// <param name="grainFactory">The cluster client, or a grain factory inside a silo.</param>
    /// <param name="limits">The limits the silos enforce (their <c>TaskFlow:Limits</c> section).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TaskFlowClient(IGrainFactory grainFactory, TaskFlowLimits limits)
        : this(grainFactory, limits, (grainFactory as IClusterClient)?.ServiceProvider.GetService<Serializer>())
    {
    }

    internal TaskFlowClient(IGrainFactory grainFactory, TaskFlowLimits limits, Serializer? serializer)
    {
        _grainFactory = grainFactory ?? throw new ArgumentNullException(nameof(grainFactory));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _serializer = serializer;
    }

    /// <inheritdoc />
    public Task<FlowHandle> StartAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(factoryName);
        return StartAsync(new FlowStartRequest { FactoryName = factoryName, Inputs = ToImmutable(inputs), Durability = options?.Durability, Tags = options?.Tags is { } tags ? [.. tags] : [] }, options, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FlowHandle> StartAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return StartAsync(new FlowStartRequest { Definition = definition, Inputs = ToImmutable(inputs), Durability = options?.Durability, Tags = options?.Tags is { } tags ? [.. tags] : [] }, options, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FlowResult> RunAsync(string factoryName, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await StartAsync(factoryName, inputs, options, cancellationToken);
        return await handle.GetResultAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FlowResult> RunAsync(FlowDefinition definition, FlowInputs? inputs = null, StartFlowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await StartAsync(definition, inputs, options, cancellationToken);
        return await handle.GetResultAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Index.FlowPage> ListFlowsAsync(Index.FlowQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new Index.FlowQuery();
        query.Validate(); // a bad query is refused here, before anything is sent
        return await _grainFactory.GetGrain<Index.IRunIndexGrain>(0).ListAsync(query).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<States.FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default) =>
        await _grainFactory.GetGrain<Index.IRunIndexGrain>(0).CountByStateAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<Snapshots.FlowSnapshot> GetStoredSnapshotAsync(string flowId, CancellationToken cancellationToken = default)
    {
        CheckFlowId(flowId);
        return await _grainFactory.GetGrain<Index.IRunIndexGrain>(0).GetStoredSnapshotAsync(flowId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Orleans.Graphs.FlowGraph> GetGraphAsync(string flowId, CancellationToken cancellationToken = default)
    {
        CheckFlowId(flowId);
        return await _grainFactory.GetGrain<Index.IRunIndexGrain>(0).GetGraphAsync(flowId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default) =>
        await _grainFactory.GetGrain<Cluster.IClusterGrain>(0).GetClusterAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<Cluster.FlowCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) =>
        await _grainFactory.GetGrain<Cluster.IClusterGrain>(0).GetCatalogAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<FlowHandle> RerunAsync(string flowId, StartFlowOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckFlowId(flowId);
        var rerunTag = RerunTagPrefix + flowId;
        if (rerunTag.Length > MaxTagLength)
        {
            throw new ArgumentException(
                $"Run '{flowId}' cannot be re-run with its tag '{RerunTagPrefix}<id>': the id is {flowId.Length} characters long, and " +
                $"a tag holds at most {MaxTagLength}. Start the flow again with StartAsync instead.", nameof(flowId));
        }

        var stored = await _grainFactory.GetGrain<Index.IRunIndexGrain>(0).GetStartRequestAsync(flowId).WaitAsync(cancellationToken);
        // The stored run's own rerun-of tag (if it was a re-run itself) is replaced: a run names the run it repeats.
        var tags = (stored.Tags.IsDefault ? [] : stored.Tags)
            .Where(tag => !tag.StartsWith(RerunTagPrefix, StringComparison.Ordinal))
            .Concat(options?.Tags ?? [])
            .Append(rerunTag)
            .Distinct(StringComparer.Ordinal);
        var request = stored with { Durability = options?.Durability ?? stored.Durability, Tags = [.. tags] };
        return await StartAsync(request, options, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> PurgeAsync(string flowId, CancellationToken cancellationToken = default)
    {
        CheckFlowId(flowId);
        return await _grainFactory.GetGrain<IFlowGrain>(flowId).PurgeAsync().WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Index.PurgeResult> PurgeFinishedAsync(Index.PurgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var index = _grainFactory.GetGrain<Index.IRunIndexGrain>(0);
        var total = new Index.PurgeResult { DryRun = query.DryRun };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await index.PurgeFinishedBatchAsync(query).WaitAsync(cancellationToken);
            total = total.Add(batch);
            if (query.DryRun || batch.Count < query.BatchSize)
            {
                return total;
            }
        }
    }

    /// <inheritdoc />
    public FlowHandle GetFlowHandle(string flowId)
    {
        CheckFlowId(flowId);
        return new FlowHandle(_grainFactory, flowId);
    }

    private async Task<FlowHandle> StartAsync(FlowStartRequest request, StartFlowOptions? options, CancellationToken cancellationToken)
    {
        var flowId = options?.FlowId ?? Guid.NewGuid().ToString("N");
        if (options?.FlowId is not null && FlowIds.Problem(flowId, _limits.MaxFlowIdLength) is { } problem)
        {
            throw new ArgumentException($"StartFlowOptions.FlowId: {problem}", nameof(options));
        }

        if (_serializer is not null && PayloadMeter.CheckInputs(_serializer, request.Inputs, _limits.MaxValueBytes, _limits.MaxRunPayloadBytes, out _) is { } tooLarge)
        {
            throw tooLarge; // before anything is sent: Orleans would otherwise ship it, and the silo refuse it
        }

        var handle = new FlowHandle(_grainFactory, flowId);
        await _grainFactory.GetGrain<IFlowGrain>(flowId).StartAsync(request).WaitAsync(cancellationToken);
        return handle;
    }

    private static ImmutableDictionary<string, object?> ToImmutable(FlowInputs? inputs) =>
        inputs is null ? ImmutableDictionary<string, object?>.Empty : inputs.ToImmutableDictionary(StringComparer.Ordinal);

    private void CheckFlowId(string flowId, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(flowId))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(flowId, paramName);
        FlowIds.Validate(flowId, _limits.MaxFlowIdLength, paramName ?? nameof(flowId));
    }
}
