using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Storage;
using TaskFlow.Orleans.Grains.Tasks;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// The engine shell of one flow run: compiles the flow, feeds events to the pure <see cref="FlowEngine"/>, asks the run's
/// logbook (<see cref="IStorageGrain"/>) to record each change, and carries out the engine's commands once recorded.
/// </summary>
/// <remarks>
/// Keeps no durable state of its own: it rebuilds from the logbook when activated, passing through RESUMING. Never awaits a
/// task inside a request: dispatches are continuations that post their outcome back, so queries are answered while tasks run.
/// </remarks>
internal sealed partial class FlowGrain : Grain, IFlowGrain, IRemindable
{
    /// <summary>The name of the reminder that wakes an unfinished run.</summary>
    public const string ResumeReminderName = "taskflow.resume";

    private readonly TaskCatalog _catalog;
    private readonly FlowFactoryCatalog _factories;
    private readonly TaskFlowOptions _options;
    private readonly Security.ValueMask _mask;
    private readonly TimeProvider _time;
    private readonly ILogger<FlowGrain> _logger;
    private readonly Execution.ExecutorDirectory _executors;
    private readonly FlowEventLog _events;
    private readonly ExecutorDispatcher _dispatcher;
    private IStorageGrain _storage = null!;
    private RunHeader? _header;
    private RunRecord _run = new();
    private FlowEngine? _engine;
    private RunTracker? _tracker;
    private Dictionary<string, int>? _atomIds;
    private IGrainTimer? _keepAlive;
    private readonly Guid _engineId = Guid.NewGuid();
    private ActiveRuns? _activeRuns;

    /// <summary>How often a running engine renews its claim on its run (see <see cref="IStorageGrain.ClaimAsync"/>).</summary>
    internal static readonly TimeSpan ClaimRenewal = TimeSpan.FromSeconds(30);
    private bool _deactivating;

    /// <summary>Creates the grain.</summary>
    /// <param name="catalog">Tasks registered on this silo.</param>
    /// <param name="factories">Flow factories registered on this silo.</param>
    /// <param name="options">TaskFlow options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="listeners">Silo-side listeners told of every start and change.</param>
    /// <param name="executors">The silo's executor references.</param>
    /// <param name="mask">Keeps masked values from leaving the silos in clear.</param>
    public FlowGrain(
        TaskCatalog catalog,
        FlowFactoryCatalog factories,
        IOptions<TaskFlowOptions> options,
        TimeProvider time,
        ILogger<FlowGrain> logger,
        IEnumerable<IFlowListener> listeners,
        Execution.ExecutorDirectory executors,
        Security.ValueMask mask)
    {
        _mask = mask;
        _listeners = [.. listeners];
        _options = options.Value;
        _catalog = catalog;
        _factories = factories;
        _time = time;
        _logger = logger;
        _executors = executors;
        _events = new FlowEventLog(_options.EventBufferSize, time);
        _dispatcher = new ExecutorDispatcher(Route, (atom, isRevert, result) => Post(new Outcome(atom, isRevert, Redact(atom, result))),
            (exception, atom, attempt) => LogRedispatch(exception, FlowId, _engine?.Flow.Atoms[atom].Name ?? "?", attempt), time);
    }

    private string FlowId => this.GetPrimaryKeyString();

    private bool Exists => _header is not null;

    private bool Durable => (_header?.Durability ?? _options.Durability) == Durability.Strict;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = GrainFactory.GetGrain<IStorageGrain>(FlowId);
        if (!HasValidId)
        {
            return; // no run can have this id: nothing is read or claimed, and StartAsync says what is wrong with it
        }

        // An unfinished run is driven by one engine at a time: if another activation of this grain still drives it (the
        // cluster briefly holds two while a dead silo is voted out), this one fails to activate rather than dispatch twice.
        var logbook = await _storage.ClaimAsync(_engineId);
        if (logbook is null)
        {
            return;
        }

        _header = logbook.Header;
        CollectSecrets(logbook.Header, logbook.Atoms);
        _run = logbook.Run.Clone();
        _sequence = logbook.Run.Sequence;
        _events.ContinueFrom(_run.EventSequence);
        _reportedState = _run.State;
        if (FlowStatus.IsTerminal(_run.State))
        {
            _tracker = new RunTracker(logbook.Atoms);
            _engine = TryRestore(logbook, out _);
            return;
        }

        var engine = TryRestore(logbook, out var problem);
        if (engine is null)
        {
            // Typically a redeploy that dropped a task this stored run uses: end it clearly, affect nothing else.
            await FailUnrecoverableAsync(problem!);
            return;
        }

        LogResuming(FlowId, _run.State);
        _engine = engine;
        _tracker = new RunTracker(logbook.Atoms);
        StartRunSpan(logbook.Header.Definition.Name, "resume");
        StartKeepAlive();
        ApplyStep(engine.Resume(), outcome: null);
        EnsurePump();
    }

    private CompiledFlowCache CompiledFlows => ServiceProvider.GetRequiredService<CompiledFlowCache>();

    /// <summary>Compiles the stored definition and restores the engine from the logbook, or says why it cannot.</summary>
    private FlowEngine? TryRestore(RunLogbook logbook, out Failure? problem)
    {
        problem = null;
        CompiledFlow compiled;
        try
        {
            compiled = CompiledFlows.GetOrCompile(logbook.Header.Definition, _catalog, logbook.Header.InputNames, logbook.Header.Setup.Atoms.Length);
        }
        catch (FlowCompilationException exception)
        {
            LogRestoreFailed(exception, FlowId);
            problem = Failure.Create(typeof(TaskNotRegisteredException).FullName!,
                $"Flow '{logbook.Header.Definition.Name}' ({FlowId}) cannot resume on this silo: {exception.Message} " +
                "Register the missing tasks on every silo (AddTask in AddTaskFlow) and redeploy; this run has ended FAILURE.");
            return null;
        }

        if (compiled.AtomCount != logbook.Atoms.Length)
        {
            problem = Failure.Create("TaskFlow.Orleans.FlowDefinitionChangedException",
                $"The logbook of flow '{compiled.Name}' ({FlowId}) has {logbook.Atoms.Length} atoms, but its definition now compiles " +
                $"to {compiled.AtomCount}. Finish or discard runs before changing how a flow compiles; this run has ended FAILURE.");
            return null;
        }

        var restored = FlowEngine.Restore(compiled, RunTracker.Memento(compiled, logbook));
        restored.FlowId = FlowId;
        return restored;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // From here on outcomes of calls still in flight are dropped: the next activation dispatches again what the logbook
        // records as RUNNING or REVERTING. A record call in flight is let finish, so what it carries is not lost.
        _deactivating = true;
        StopKeepAlive();
        EndRunSpan("deactivated", _engine?.State);
        if (_recording is { IsCompleted: false } recording)
        {
            try
            {
                await recording.WaitAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                LogPumpFailed(exception, FlowId);
            }
        }

        // Not while the silo shuts down: the logbook grain lives beside its engine (prefer-local placement) and goes with it,
        // so a release would only place a new logbook grain elsewhere to release nothing (or, on the last silo, fail loudly).
        if (Exists && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            try
            {
                await _storage.ReleaseAsync(_engineId).WaitAsync(cancellationToken); // the next activation takes over at once
            }
            catch (Exception exception)
            {
                LogPumpFailed(exception, FlowId); // the claim then simply lapses
            }
        }
    }

    /// <inheritdoc />
    public async Task<FlowStatus> StartAsync(FlowStartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckFlowId();
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
        var tags = RunTags.Validate(request.Tags.IsDefault ? [] : request.Tags);
        var inputBytes = CheckInputs(inputs);
        var atomCount = CheckAtomCount(definition);
        var compiled = CompiledFlows.GetOrCompile(definition, _catalog, inputs.Keys, atomCount);

        // Nothing is written before the definition is known to be valid. The reminder (what wakes this run on another silo
        // if this one dies) is registered first; then one durable write creates the run with its first atoms RUNNING.
        await RegisterResumeReminderAsync();
        // Whole microseconds: what both databases keep, so the run index orders runs the same in every store.
        var now = _time.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
        var header = new RunHeader
        {
            Definition = definition,
            FactoryName = request.FactoryName,
            InputNames = [.. inputs.Keys],
            Setup = compiled.CreateStorageSetup(inputs),
            CreatedAt = now,
            TaskNames = [.. compiled.Atoms.Select(a => a.TaskName)],
            IsRetry = [.. compiled.Atoms.Select(a => a.IsRetry)],
            Durability = request.Durability ?? _options.Durability,
            Tags = tags,
        };
        var engine = new FlowEngine(compiled) { FlowId = FlowId };
        var tracker = new RunTracker(compiled.AtomCount);
        _header = header;
        CollectSecrets(header, atoms: null);
        _engine = engine;
        _tracker = tracker;
        _run.PayloadBytes = inputBytes;
        StartRunSpan(definition.Name, "start");
        ApplyStep(engine.Start(), outcome: null);
        var (executes, reverts) = TakeCommands();
        var changes = tracker.TakeChanges(engine, CaptureRun());
        RecordReceipt receipt;
        try
        {
            receipt = await _storage.CreateAsync(header, changes, executes, _engineId);
        }
        catch
        {
            _header = null;
            _engine = null;
            _tracker = null;
            _pendingEvents.Clear();
            EndRunSpan("not-created", state: null);
            throw;
        }

        _sequence = receipt.Sequence;
        LogStarted(FlowId, definition.Name, compiled.AtomCount);
        Notify(listener => listener.OnFlowStarted(new FlowStartedContext(FlowId, definition.Name, _mask.MaskInputs(inputs))));
        StartKeepAlive();
        PublishRecorded();
        if (executes.Length + reverts.Length <= DispatchInlineLimit)
        {
            Dispatch(executes, reverts, receipt.Prepared);
            EnsurePump();
        }
        else
        {
            // A wide flow's first dispatch (100,000 executor calls for 100,000 independent tasks) is sent after this call
            // answers: the run is accepted and durable already, and the client need not wait for the calls to be sent.
            _ = DispatchAfterStartAsync(executes, reverts, receipt.Prepared);
        }

        return Status();
    }

    /// <summary>The most first dispatches <see cref="StartAsync"/> sends before it answers.</summary>
    private const int DispatchInlineLimit = 256;

    /// <summary>How many executor calls one turn of <see cref="DispatchAfterStartAsync"/> sends before it lets the
    /// activation answer what waits (a status, a snapshot page, the first outcomes).</summary>
    private const int DispatchChunk = 1024;

    private async Task DispatchAfterStartAsync(int[] executes, int[] reverts, PreparedCalls prepared)
    {
        // Runs on this activation, after the start's answer, in chunks: sending 100,000 calls in one turn held every
        // status and snapshot query of the run for seconds.
        for (var from = 0; from < executes.Length; from += DispatchChunk)
        {
            await Task.Yield();
            if (_deactivating)
            {
                return; // the next activation dispatches what the logbook records as RUNNING
            }

            DispatchExecutes(executes, prepared, from, Math.Min(from + DispatchChunk, executes.Length));
            EnsurePump();
        }

        await Task.Yield();
        if (!_deactivating)
        {
            DispatchReverts(reverts, prepared);
            EnsurePump();
        }
    }

    /// <summary>Keeps an unfinished run's engine active, and renews its claim on the run; the silo counts the run as driven here.</summary>
    private void StartKeepAlive()
    {
        if (_keepAlive is null)
        {
            _keepAlive = this.RegisterGrainTimer(() => _storage.RenewAsync(_engineId),
                new GrainTimerCreationOptions(ClaimRenewal, ClaimRenewal) { KeepAlive = true, Interleave = true });
            LocalRuns?.Add(FlowId);
        }
    }

    private void StopKeepAlive()
    {
        _keepAlive?.Dispose();
        _keepAlive = null;
        LocalRuns?.Remove(FlowId);
    }

    /// <summary>The silo's count of runs driven here (absent when the grain is hosted without <c>AddTaskFlow</c>).</summary>
    private ActiveRuns? LocalRuns => _activeRuns ??= ServiceProvider.GetService(typeof(ActiveRuns)) as ActiveRuns;

    /// <summary>Atom ids by name, built once per activation.</summary>
    private Dictionary<string, int> AtomIds(FlowEngine engine) =>
        _atomIds ??= engine.Flow.Atoms.ToDictionary(a => a.Name, a => a.Id, StringComparer.Ordinal);

    /// <summary>The executor for an execution: its key is a hash of the execution id, the same in every process, so that two
    /// engines of one run (briefly possible while a dead silo is voted out) that both dispatch the same RUNNING attempt reach the
    /// same executor activation, which runs it once and gives both the outcome. The hash spreads executions as evenly as a
    /// random key did. Without an id (a dispatch again after its executor was lost), a random key.</summary>
    private IExecutorRoute Route(string? capability, string? executionId)
    {
        var key = executionId is null ? Random.Shared.Next(_executors.Size) : (int)(StableHash(executionId) % (uint)_executors.Size);
        return capability is null ? new PlainRoute(_executors.Plain(key)) : new RoutedRoute(_executors.Routed(capability, key));
    }

    /// <summary>FNV-1a over the id's characters: unlike <see cref="string.GetHashCode()"/>, equal in every process.</summary>
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private sealed class PlainRoute(ITaskExecutorGrain grain) : IExecutorRoute
    {
        public Task<ExecutionResult> ExecuteAsync(TaskRequest request) => grain.ExecuteAsync(request);

        public Task<ExecutionResult> RevertAsync(RevertRequest request) => grain.RevertAsync(request);

        public Task CancelAsync(string executionId) => grain.CancelAsync(executionId);
    }

    private sealed class RoutedRoute(IRoutedTaskExecutorGrain grain) : IExecutorRoute
    {
        public Task<ExecutionResult> ExecuteAsync(TaskRequest request) => grain.ExecuteAsync(request);

        public Task<ExecutionResult> RevertAsync(RevertRequest request) => grain.RevertAsync(request);

        public Task CancelAsync(string executionId) => grain.CancelAsync(executionId);
    }
}
