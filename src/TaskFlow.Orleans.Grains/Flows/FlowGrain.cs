using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Tasks;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// The engine shell of one flow run: compiles the flow, feeds events to the pure <see cref="FlowEngine"/>, carries out its
/// commands (prepare arguments, dispatch to executors, save outcomes), and persists progress by group commit.
/// </summary>
/// <remarks>
/// Never awaits a task inside a request: dispatches are continuations that post their outcome back, so queries
/// (snapshot, status, events) are answered while tasks run.
/// </remarks>
public sealed partial class FlowGrain : Grain, IFlowGrain, IRemindable
{
    private readonly IPersistentState<FlowDefinitionState> _definition;
    private readonly IPersistentState<FlowGrainState> _state;
    private readonly TaskCatalog _catalog;
    private readonly FlowFactoryCatalog _factories;
    private readonly TaskFlowOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FlowGrain> _logger;
    private readonly ITaskExecutorGrain[] _executors;
    private IStorageGrain _storage = null!;
    private FlowEngine? _engine;
    private long[] _startedAt = [];
    private long[] _finishedAt = [];
    private string?[] _ranOn = [];
    private IGrainTimer? _keepAlive;
    private bool _deactivating;

    /// <summary>Creates the grain.</summary>
    /// <param name="stateFactory">Creates the persistent state on the configured provider.</param>
    /// <param name="catalog">Tasks registered on this silo.</param>
    /// <param name="factories">Flow factories registered on this silo.</param>
    /// <param name="options">TaskFlow options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="listeners">Silo-side listeners told of every start and change.</param>
    public FlowGrain(
        IPersistentStateFactory stateFactory,
        TaskCatalog catalog,
        FlowFactoryCatalog factories,
        IOptions<TaskFlowOptions> options,
        TimeProvider time,
        ILogger<FlowGrain> logger,
        IEnumerable<Listeners.IFlowListener> listeners)
    {
        _listeners = [.. listeners];
        _options = options.Value;
        // Two records: the definition is written once; commits rewrite only the progress.
        _definition = stateFactory.Create<FlowDefinitionState>(GrainContext, new PersistentStateAttribute("flow-definition", _options.StorageProviderName));
        _state = stateFactory.Create<FlowGrainState>(GrainContext, new PersistentStateAttribute("flow", _options.StorageProviderName));
        _catalog = catalog;
        _factories = factories;
        _time = time;
        _logger = logger;
        _executors = new ITaskExecutorGrain[_options.ExecutorPoolSize];
        _events = new FlowEvent[Math.Max(16, _options.EventBufferSize)];
    }

    private string FlowId => this.GetPrimaryKeyString();

    private bool Exists => _definition.State.Definition is not null;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = GrainFactory.GetGrain<IStorageGrain>(FlowId);
        if (!Exists)
        {
            return;
        }

        var saved = _state.State;
        var started = _definition.State;
        _flowState = saved.FlowState;
        _flowFailure = saved.FlowFailure;
        _finishedFlowAt = saved.FinishedAt;
        _durableTerminal = FlowStatus.IsTerminal(saved.FlowState);
        _eventSequence = _eventFloor = saved.EventSequence;

        CompiledFlow compiled;
        try
        {
            compiled = FlowCompiler.Compile(started.Definition!, _catalog, started.InputNames);
        }
        catch (FlowCompilationException exception)
        {
            // Typically a redeploy that dropped a task this stored flow uses: end it clearly, affect nothing else.
            LogRestoreFailed(exception, FlowId);
            if (!_durableTerminal)
            {
                await FailUnrecoverableAsync(Failure.Create(typeof(TaskNotRegisteredException).FullName!,
                    $"Flow '{started.Definition!.Name}' ({FlowId}) cannot resume on this silo: {exception.Message} " +
                    "Register the missing tasks on every silo (AddTask in AddTaskFlow) and redeploy; this run has ended FAILURE."));
            }

            return;
        }

        var fresh = saved.NodeStates.Length == 0;
        if (!fresh && saved.NodeStates.Length != compiled.NodeCount)
        {
            if (!_durableTerminal)
            {
                await FailUnrecoverableAsync(Failure.Create("TaskFlow.Orleans.FlowDefinitionChangedException",
                    $"Stored progress of flow '{compiled.Name}' ({FlowId}) has {saved.NodeStates.Length} nodes, but its definition now compiles " +
                    $"to {compiled.NodeCount}. Finish or discard runs before changing how a flow compiles; this run has ended FAILURE."));
            }

            return;
        }

        _engine = fresh
            ? new FlowEngine(compiled)
            : FlowEngine.Restore(compiled, new EngineMemento
            {
                FlowState = saved.FlowState,
                NodeStates = Array.ConvertAll(saved.NodeStates, b => (AtomState)b),
                Intentions = Array.ConvertAll(saved.Intentions, b => (Intention)b),
                Attempts = saved.Attempts,
                Reverting = saved.Reverting,
                RevertFailed = saved.RevertFailed,
                RetryHistories = saved.RetryHistories,
                RetryArguments = saved.RetryArguments?.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, object?>)p.Value),
                Failures = saved.Failures,
                DeciderResults = saved.DeciderResults,
                EngineFailures = saved.EngineFailures,
                Cancellation = saved.Cancellation,
                ResumeAfterSuspend = saved.ResumeAfterSuspend,
            });
        _startedAt = fresh ? new long[compiled.AtomCount] : saved.StartedAt;
        _finishedAt = fresh ? new long[compiled.AtomCount] : saved.FinishedAtoms;
        _ranOn = fresh ? new string?[compiled.AtomCount] : saved.RanOn;
        _progress = saved.Progress.Length == compiled.AtomCount ? saved.Progress : new double[compiled.AtomCount];
        _progressDetails = saved.ProgressDetails.Length == compiled.AtomCount ? saved.ProgressDetails : new string?[compiled.AtomCount];

        if (!_durableTerminal)
        {
            // The previous activation (or its silo) stopped mid-run: carry on, re-dispatching what may have been running.
            LogResuming(FlowId, saved.FlowState);
            StartKeepAlive();
            ApplyStep(fresh ? _engine.Start() : _engine.Resume(), outcome: null);
            EnsurePump();
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // From here on outcomes of calls still in flight are dropped: an executor answer arriving after the deactivation
        // would otherwise be applied by this stale engine, which would dispatch successors alongside the next activation.
        _deactivating = true;

        // Leave the latest consistent progress behind for whoever activates the flow next.
        try
        {
            if (_commitLoop is { IsCompleted: false } running)
            {
                await running;
            }

            if (_engine is not null && _version != _durableVersion && !_unackedSave && !_storageLost)
            {
                await CommitNowAsync();
            }
        }
        catch (Exception exception)
        {
            LogCommitFailed(exception, FlowId, 0);
        }
    }

    /// <inheritdoc />
    public async Task<FlowStatus> StartAsync(FlowStartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Exists || _engine is not null)
        {
            throw new FlowAlreadyExistsException(FlowId);
        }

        FlowDefinition definition;
        if (request.Definition is { } given)
        {
            definition = given;
        }
        else if (!string.IsNullOrWhiteSpace(request.FactoryName))
        {
            definition = _factories.Create(request.FactoryName);
        }
        else
        {
            throw new ArgumentException("A start request needs a flow definition or a registered flow factory name.", nameof(request));
        }

        var inputs = request.Inputs ?? ImmutableDictionary<string, object?>.Empty;
        var compiled = FlowCompiler.Compile(definition, _catalog, inputs.Keys);

        // Nothing is written before the definition is known to be valid. Then, at once: the reminder (what wakes this run on
        // another silo if this one dies; without a reminder service the start fails here) and the storage setup (inputs,
        // bindings). The definition is written last: its existence is what makes the run exist, so a run that exists always
        // has its storage. No progress is written yet: a run with a definition and no progress starts from the beginning.
        await Task.WhenAll(RegisterResumeReminderAsync(), _storage.InitializeAsync(compiled.CreateStorageSetup(inputs)));
        var now = _time.GetUtcNow();
        _engine = new FlowEngine(compiled);
        _startedAt = new long[compiled.AtomCount];
        _finishedAt = new long[compiled.AtomCount];
        _ranOn = new string?[compiled.AtomCount];
        _progress = new double[compiled.AtomCount];
        _progressDetails = new string?[compiled.AtomCount];
        _definition.State = new FlowDefinitionState
        {
            Definition = definition,
            FactoryName = request.FactoryName,
            InputNames = [.. inputs.Keys],
            CreatedAt = now,
        };
        await WriteAsync(_definition, "definition");
        LogStarted(FlowId, definition.Name, compiled.AtomCount);

        Notify(listener => listener.OnFlowStarted(new Listeners.FlowStartedContext(FlowId, definition.Name, inputs)));
        StartKeepAlive();
        ApplyStep(_engine.Start(), outcome: null);
        EnsurePump();
        return Status();
    }

    private void StartKeepAlive() =>
        _keepAlive ??= this.RegisterGrainTimer(static () => Task.CompletedTask,
            new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true, Interleave = true });

    private void StopKeepAlive()
    {
        _keepAlive?.Dispose();
        _keepAlive = null;
    }

    private ITaskExecutorGrain PickExecutor()
    {
        var key = Random.Shared.Next(_executors.Length);
        return _executors[key] ??= GrainFactory.GetGrain<ITaskExecutorGrain>(key);
    }
}
