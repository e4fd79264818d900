using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;
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
    /// <summary>Atoms per results page.</summary>
    internal const int PageSize = 256;

    private readonly IPersistentState<StorageSetupState> _setup;
    private readonly IGrainStorage _grainStorage;
    private readonly ILogger<StorageGrain> _logger;
    private readonly Dictionary<int, GrainState<StorageResultsPage>> _pages = [];
    private readonly HashSet<int> _dirtyPages = [];
    private FlowStore? _store;
    private long _changes;
    private long _flushedChanges;
    private Task? _flush;

    /// <summary>Creates the grain.</summary>
    /// <param name="stateFactory">Creates the persistent setup state on the configured provider.</param>
    /// <param name="services">Resolves the grain storage provider the result pages are written to.</param>
    /// <param name="options">TaskFlow options (storage provider name).</param>
    /// <param name="logger">The logger.</param>
    public StorageGrain(IPersistentStateFactory stateFactory, IServiceProvider services, IOptions<TaskFlowOptions> options, ILogger<StorageGrain> logger)
    {
        var provider = options.Value.StorageProviderName;

        // The setup never changes after the start and is written once; results are written as pages, only those that changed.
        _setup = stateFactory.Create<StorageSetupState>(GrainContext, new PersistentStateAttribute("storage-setup", provider));
        _grainStorage = services.GetKeyedService<IGrainStorage>(provider)
            ?? throw new InvalidOperationException(
                $"No grain storage named '{provider}' is registered. Add one, e.g. siloBuilder.AddMemoryGrainStorage(\"taskflow\"), " +
                "or set TaskFlowOptions.StorageProviderName to the provider you registered.");
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_setup.State.Setup is not { } setup)
        {
            return;
        }

        var pageCount = (setup.Atoms.Length + PageSize - 1) / PageSize;
        var reads = new Task[pageCount];
        for (var page = 0; page < pageCount; page++)
        {
            var state = _pages[page] = new GrainState<StorageResultsPage>(new StorageResultsPage());
            reads[page] = ReadPageAsync(page, state);
        }

        await Task.WhenAll(reads);
        var store = new FlowStore(setup);
        foreach (var page in _pages.Values.Select(state => state.State ?? new StorageResultsPage()))
        {
            foreach (var (atom, result) in page.Results)
            {
                store.Results[atom] = result;
            }

            foreach (var (atom, failure) in page.Failures)
            {
                store.Failures[atom] = failure;
            }

            foreach (var (atom, failure) in page.RevertFailures)
            {
                store.RevertFailures[atom] = failure;
            }

            // The count of saves continues from what is durable: lower than the engine expects if saves were lost.
            _changes = _flushedChanges = Math.Max(_flushedChanges, page.SaveCount);
        }

        _store = store;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Results the engine already counts on must not vanish with this activation: storage may run ahead of the
        // flow's persisted progress, never behind it.
        try
        {
            await FlushAsync();
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync(StorageSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _store = new FlowStore(setup);
        _setup.State = new StorageSetupState { Setup = setup };
        try
        {
            await _setup.WriteStateAsync();
            Diagnostics.TaskFlowMetrics.Wrote("setup");
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw WriteFailed(exception, "setup");
        }
    }

    /// <inheritdoc />
    public Task<PreparedCalls> SaveAndPrepareAsync(AtomCompletion[] completions, int[] executeAtomIds, int[] revertAtomIds)
    {
        var store = Store;
        foreach (var completion in completions)
        {
            store.Save(completion);
            _dirtyPages.Add(completion.AtomId / PageSize);
        }

        if (completions.Length > 0)
        {
            _changes++;
        }

        if (executeAtomIds.Length == 0 && revertAtomIds.Length == 0)
        {
            return Task.FromResult(PreparedCalls.Empty with { SaveCount = _changes });
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
            SaveCount = _changes,
        });
    }

    /// <inheritdoc />
    public async Task<long> FlushAsync()
    {
        // Durable up to what was saved when the flush was asked for; saves that arrive during the write go to the next
        // flush (looping until idle would keep a busy flow's storage writing forever). One write at a time: a flush asked
        // for during a write waits for it, then writes what is still missing.
        var target = _changes;
        while (_flushedChanges < target)
        {
            if (_flush is { } running)
            {
                await running;
                continue;
            }

            var upTo = _changes;
            _flush = WriteResultsAsync();
            try
            {
                await _flush;
                _flushedChanges = Math.Max(_flushedChanges, upTo);
            }
            finally
            {
                _flush = null;
            }
        }

        return _flushedChanges;
    }

    /// <inheritdoc />
    public Task<StoredResults> GetResultsAsync() => Task.FromResult(Store.GetResults());

    private FlowStore Store => _store ?? throw new FlowNotFoundException(this.GetPrimaryKeyString());

    /// <summary>Writes the pages that changed since the last flush, each from a copy taken now.</summary>
    private async Task WriteResultsAsync()
    {
        var store = Store;
        var dirty = _dirtyPages.ToArray();
        _dirtyPages.Clear();
        var writes = new Task[dirty.Length];
        for (var i = 0; i < dirty.Length; i++)
        {
            // A copy: saves and preparations interleave with the write and must not change what is being written.
            var page = dirty[i];
            var state = _pages.TryGetValue(page, out var existing) ? existing : _pages[page] = new GrainState<StorageResultsPage>(new StorageResultsPage());
            state.State = CopyPage(store, page);
            state.State.SaveCount = _changes;
            writes[i] = WritePageAsync(page, state);
        }

        try
        {
            await Task.WhenAll(writes);
        }
        catch
        {
            _dirtyPages.UnionWith(dirty); // written again by the next flush
            throw;
        }
    }

    private static StorageResultsPage CopyPage(FlowStore store, int page)
    {
        var copy = new StorageResultsPage();
        var end = Math.Min(store.Setup.Atoms.Length, (page + 1) * PageSize);
        for (var atom = page * PageSize; atom < end; atom++)
        {
            if (store.Results.TryGetValue(atom, out var result))
            {
                copy.Results[atom] = result;
            }

            if (store.Failures.TryGetValue(atom, out var failure))
            {
                copy.Failures[atom] = failure;
            }

            if (store.RevertFailures.TryGetValue(atom, out var revertFailure))
            {
                copy.RevertFailures[atom] = revertFailure;
            }
        }

        return copy;
    }

    private static string PageName(int page) => $"storage-results-{page}";

    private async Task ReadPageAsync(int page, GrainState<StorageResultsPage> state)
    {
        try
        {
            await _grainStorage.ReadStateAsync(PageName(page), this.GetGrainId(), state);
            state.State ??= new StorageResultsPage();
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Could not read results page {page} of flow '{this.GetPrimaryKeyString()}': {exception.GetType().Name}: {exception.Message}. " +
                "Check that the grain storage's database is reachable.");
        }
    }

    private async Task WritePageAsync(int page, GrainState<StorageResultsPage> state)
    {
        try
        {
            await _grainStorage.WriteStateAsync(PageName(page), this.GetGrainId(), state);
            Diagnostics.TaskFlowMetrics.Wrote("results");
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw WriteFailed(exception, $"results page {page}");
        }
    }

    private FlowStorageException WriteFailed(Exception exception, string what)
    {
        LogWriteFailed(exception, this.GetPrimaryKeyString());
        return new FlowStorageException(
            $"Could not write the {what} of flow '{this.GetPrimaryKeyString()}': {exception.GetType().Name}: {exception.Message}. " +
            "Check that the grain storage's database is reachable; the flow resumes from its last durable state.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the storage of flow {FlowId} failed")]
    private partial void LogWriteFailed(Exception exception, string flowId);
}
