using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>The logbook of one flow run and its single writer (see <see cref="IStorageGrain"/>).</summary>
/// <remarks>
/// Reentrant: record calls apply at once and wait for durability, so queries interleave. Placed on the caller's silo, which is
/// the flow grain's: the two live and die together, and every record call is a local call.
/// </remarks>
[Reentrant]
[PreferLocalPlacement]
internal sealed partial class StorageGrain : Grain, IStorageGrain
{
    private readonly LogbookCommitter _committer;
    private readonly LogbookSerializer _serializer;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageGrain> _logger;
    /// <summary>How long an engine's claim on an unfinished run holds without renewal: engines renew every
    /// <see cref="Flows.FlowGrain.ClaimRenewal"/> and with every record call.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(90);

    private RunLogbookState? _state;
    private RunLogbookWriter? _writer;
    private Guid? _owner;
    private long _ownerSeen;

    /// <summary>Creates the grain.</summary>
    /// <param name="committer">The silo's cross-run group commit.</param>
    /// <param name="serializer">Turns records into payloads.</param>
    /// <param name="time">The clock write retries wait on.</param>
    /// <param name="logger">The logger.</param>
    public StorageGrain(LogbookCommitter committer, LogbookSerializer serializer, TimeProvider time, ILogger<StorageGrain> logger)
    {
        _committer = committer;
        _serializer = serializer;
        _time = time;
        _logger = logger;
    }

    private string RunId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StoredLogbook? stored;
        try
        {
            stored = await _committer.Store.ReadAsync(RunId, cancellationToken);
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Could not read the logbook of run '{RunId}': {exception.GetType().Name}: {exception.Message}. " +
                "Check that the database is reachable; nothing was changed.");
        }

        if (stored is not null)
        {
            Attach(RunLogbookState.Load(stored, _serializer));
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // In the relaxed mode changes may still be unwritten: write them before going (bounded by the deactivation timeout).
        if (_writer is { Broken: null } writer && _state!.IsDirty)
        {
            try
            {
                await writer.FlushAsync().WaitAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                LogWriteFailed(exception, RunId);
            }
        }
    }

    /// <inheritdoc />
    public async Task<RunLogbook?> OpenAsync()
    {
        if (_state is null)
        {
            return null;
        }

        await DurableAsync(_state.Sequence);
        return _state.ToLogbook();
    }

    /// <inheritdoc />
    public async Task<RunLogbook?> ClaimAsync(Guid engine)
    {
        if (_state is { } state && !Snapshots.FlowStatus.IsTerminal(state.Run.State)
            && _owner is { } owner && owner != engine && _time.GetElapsedTime(_ownerSeen) < ClaimLease)
        {
            throw new RunActiveElsewhereException(
                $"Run '{RunId}' is driven by another activation of its engine (it renewed its claim " +
                $"{_time.GetElapsedTime(_ownerSeen).TotalSeconds:0.0} s ago); this one stands down so that no task is dispatched " +
                "twice. Retry the call: it reaches the engine that drives the run.");
        }

        var logbook = await OpenAsync();
        if (logbook is not null)
        {
            Claim(engine);
        }

        return logbook;
    }

    /// <inheritdoc />
    public Task RenewAsync(Guid engine)
    {
        if (_owner is null || _owner == engine)
        {
            Claim(engine);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(Guid engine)
    {
        if (_owner == engine)
        {
            _owner = null;
        }

        return Task.CompletedTask;
    }

    private void Claim(Guid engine)
    {
        _owner = engine;
        _ownerSeen = _time.GetTimestamp();
    }

    /// <inheritdoc />
    public async Task<RecordReceipt> CreateAsync(RunHeader header, RunChanges changes, int[] executeAtomIds, Guid engine)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(changes);
        if (_state is not null)
        {
            throw new FlowAlreadyExistsException(RunId);
        }

        var state = RunLogbookState.Create(RunId, header, changes);
        Attach(state);
        Claim(engine);
        try
        {
            await DurableAsync(state.Sequence);
        }
        catch (LogbookConflictException)
        {
            // The id is taken in the store (a run created by another activation): not ours to touch.
            throw new FlowAlreadyExistsException(RunId);
        }

        return new RecordReceipt(state.Sequence, Prepare(state, executeAtomIds, []));
    }

    /// <inheritdoc />
    public async Task<RecordReceipt> RecordAsync(long expectedSequence, RunChanges changes, int[] executeAtomIds, int[] revertAtomIds, bool durable)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var state = _state ?? throw new FlowNotFoundException(RunId);
        if (_writer!.Broken is { } broken)
        {
            DeactivateOnIdle();
            throw broken is TaskFlowException ? broken : new FlowStorageException(broken.Message);
        }

        if (expectedSequence != state.Sequence)
        {
            throw new LogbookConflictException(
                $"Run '{RunId}': the engine expected its logbook at record {expectedSequence}, but it is at {state.Sequence} (records were " +
                "lost with a storage activation, or another engine activation wrote). The engine rebuilds from the logbook.");
        }

        state.Apply(changes);
        if (_owner is not null)
        {
            _ownerSeen = _time.GetTimestamp(); // a record call renews the claim of the engine that makes it
        }

        var sequence = state.Sequence;
        var prepared = Prepare(state, executeAtomIds, revertAtomIds);
        if (durable)
        {
            await DurableAsync(sequence);
        }
        else
        {
            _writer.Kick();
        }

        return new RecordReceipt(sequence, prepared);
    }

    /// <inheritdoc />
    public async Task<bool> PurgeAsync()
    {
        if (_state is { } state)
        {
            await DurableAsync(state.Sequence); // no write of this run is left in flight to meet the delete
        }

        LogbookDeleteResult result;
        try
        {
            result = await _committer.Store.DeleteAsync(RunId);
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Could not purge run '{RunId}': {exception.GetType().Name}: {exception.Message}. Check that the database is " +
                "reachable; nothing was deleted.");
        }

        if (result.Status == LogbookDeleteStatus.NotFinished)
        {
            throw new FlowNotFinishedException(RunId, result.State!.Value);
        }

        // Deleted, or not stored at all: either way this activation must not answer with the run, or write it back.
        _state = null;
        _writer = null;
        _owner = null;
        DeactivateOnIdle();
        return result.Status == LogbookDeleteStatus.Deleted;
    }

    /// <inheritdoc />
    public async Task<FlowSnapshot> GetSnapshotAsync()
    {
        var state = _state ?? throw new FlowNotFoundException(RunId);
        await DurableAsync(state.Sequence);
        return state.ToSnapshot();
    }

    /// <inheritdoc />
    public async Task<FlowSnapshot> GetSnapshotPageAsync(int skip, int take)
    {
        var state = _state ?? throw new FlowNotFoundException(RunId);
        await DurableAsync(state.Sequence);
        return state.ToSnapshot(skip, take);
    }

    private void Attach(RunLogbookState state)
    {
        _state = state;
        // A broken writer means memory may be ahead of the store: this activation goes, also when nobody was waiting.
        _writer = new RunLogbookWriter(state, _serializer, _committer.CommitAsync, _time, onBroken: exception =>
        {
            LogWriteFailed(exception, RunId);
            DeactivateOnIdle();
        });
    }

    /// <summary>Waits for durability; a broken writer means memory may be ahead of the store, so this activation goes.</summary>
    private async Task DurableAsync(long sequence)
    {
        try
        {
            await _writer!.WaitDurableAsync(sequence);
        }
        catch (Exception exception)
        {
            DeactivateOnIdle();
            if (exception is TaskFlowException)
            {
                throw;
            }

            throw new FlowStorageException(exception.Message);
        }
    }

    private static PreparedCalls Prepare(RunLogbookState state, int[] executeAtomIds, int[] revertAtomIds)
    {
        if (executeAtomIds.Length == 0 && revertAtomIds.Length == 0)
        {
            return PreparedCalls.Empty;
        }

        var store = state.Store;
        var executes = new Dictionary<string, object?>[executeAtomIds.Length];
        Dictionary<int, TaskFlow.Orleans.Failures.Failure>? unresolved = null;
        for (var i = 0; i < executeAtomIds.Length; i++)
        {
            if (!store.TryPrepareExecute(executeAtomIds[i], out executes[i], out var failure))
            {
                (unresolved ??= [])[executeAtomIds[i]] = failure!;
            }
        }

        var reverts = new PreparedRevert[revertAtomIds.Length];
        for (var i = 0; i < revertAtomIds.Length; i++)
        {
            reverts[i] = store.PrepareRevert(revertAtomIds[i]);
        }

        return new PreparedCalls
        {
            Executes = [.. executes],
            Reverts = [.. reverts],
            Unresolved = unresolved is null ? PreparedCalls.Empty.Unresolved : System.Collections.Immutable.ImmutableDictionary.CreateRange(unresolved),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the logbook of run {RunId} failed")]
    private partial void LogWriteFailed(Exception exception, string runId);
}
