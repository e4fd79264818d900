using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TaskFlow.Orleans.Core.Storage;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>
/// Storage of one flow run: names to ids, inputs, injected values, results and failures, and argument preparation.
/// Changes are kept in memory and written at <see cref="FlushAsync"/>, which the flow's engine calls before it persists its own
/// progress (group commit).
/// </summary>
/// <remarks>Reentrant: a flush writes a copy of the contents, so saves and preparations carry on while the write is in flight.</remarks>
[Reentrant]
public sealed partial class StorageGrain : Grain, IStorageGrain
{
    private readonly IPersistentState<StorageSetupState> _setup;
    private readonly IPersistentState<StorageGrainState> _state;
    private readonly ILogger<StorageGrain> _logger;
    private FlowStore? _store;
    private long _changes;
    private long _flushedChanges;
    private Task? _flush;

    /// <summary>Creates the grain.</summary>
    /// <param name="stateFactory">Creates the persistent state on the configured provider.</param>
    /// <param name="options">TaskFlow options (storage provider name).</param>
    /// <param name="logger">The logger.</param>
    public StorageGrain(IPersistentStateFactory stateFactory, IOptions<TaskFlowOptions> options, ILogger<StorageGrain> logger)
    {
        // Two records: the setup never changes after the start, so flushes rewrite only the results.
        _setup = stateFactory.Create<StorageSetupState>(GrainContext, new PersistentStateAttribute("storage-setup", options.Value.StorageProviderName));
        _state = stateFactory.Create<StorageGrainState>(GrainContext, new PersistentStateAttribute("storage", options.Value.StorageProviderName));
        _logger = logger;
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_setup.State.Setup is { } setup)
        {
            // Copies: the persisted object is only ever replaced wholesale by a flush.
            _store = new FlowStore(setup, new(_state.State.Results), new(_state.State.Failures), new(_state.State.RevertFailures));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(StorageSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _store = new FlowStore(setup);
        _setup.State = new StorageSetupState { Setup = setup };
        await WriteAsync(_setup, "setup");
        _changes++;
        await FlushAsync();
    }

    /// <inheritdoc />
    public Task<PreparedCalls> SaveAndPrepareAsync(AtomCompletion[] completions, int[] executeAtomIds, int[] revertAtomIds)
    {
        var store = Store;
        foreach (var completion in completions)
        {
            store.Save(completion);
        }

        if (completions.Length > 0)
        {
            _changes++;
        }

        if (executeAtomIds.Length == 0 && revertAtomIds.Length == 0)
        {
            return Task.FromResult(PreparedCalls.Empty);
        }

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

        return Task.FromResult(new PreparedCalls
        {
            Executes = [.. executes],
            Reverts = [.. reverts],
            Unresolved = unresolved is null ? PreparedCalls.Empty.Unresolved : System.Collections.Immutable.ImmutableDictionary.CreateRange(unresolved),
        });
    }

    /// <inheritdoc />
    public async Task FlushAsync()
    {
        // One write at a time; a flush asked for during a write waits for it, then writes whatever changed meanwhile.
        while (_changes != _flushedChanges)
        {
            if (_flush is { } running)
            {
                await running;
                continue;
            }

            var target = _changes;
            _flush = WriteResultsAsync();
            try
            {
                await _flush;
                _flushedChanges = Math.Max(_flushedChanges, target);
            }
            finally
            {
                _flush = null;
            }
        }
    }

    /// <inheritdoc />
    public Task<StoredResults> GetResultsAsync() => Task.FromResult(Store.GetResults());

    private FlowStore Store => _store ?? throw new FlowNotFoundException(this.GetPrimaryKeyString());

    private Task WriteResultsAsync()
    {
        // A copy: saves and preparations interleave with the write and must not change what is being written.
        var store = Store;
        _state.State = new StorageGrainState
        {
            Results = new(store.Results),
            Failures = new(store.Failures),
            RevertFailures = new(store.RevertFailures),
        };
        return WriteAsync(_state, "results");
    }

    private async Task WriteAsync<T>(IPersistentState<T> state, string what)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            LogWriteFailed(exception, this.GetPrimaryKeyString());
            throw new FlowStorageException(
                $"Could not write the {what} of flow '{this.GetPrimaryKeyString()}': {exception.GetType().Name}: {exception.Message}. " +
                "Check that the grain storage's database is reachable; the flow resumes from its last durable state.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the storage of flow {FlowId} failed")]
    private partial void LogWriteFailed(Exception exception, string flowId);
}
