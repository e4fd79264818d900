using System.Collections.ObjectModel;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>
/// The engine's decisions as a pure state machine: given the compiled graph, the current states and an event, it updates the
/// states and returns the commands to carry out. No I/O, no Orleans: the grain is a thin shell around it.
/// </summary>
/// <remarks>
/// <para><b>Roles.</b> TaskFlow's selector, scheduler and completer live here. Per node the engine keeps how many predecessors
/// are not complete and how many successors still block a revert, so a completion costs O(its successors) (TaskFlow's selector
/// rescans the graph, which makes a 1000-task linear flow take 10 s there). Applying a failure strategy, retrying a subflow,
/// resuming and suspending cost one pass over the affected part of the graph.</para>
/// <para><b>Execute</b>: an atom runs when it is PENDING (a retry also RETRYING) with intention EXECUTE and every predecessor
/// is SUCCESS or IGNORE (an IGNOREd atom or a pattern marker counts once its own predecessors have), and the deciders on the links
/// into it say yes. A "no" IGNOREs it and what the widest nay-saying depth reaches (TaskFlow's <c>IgnoreDecider</c>).</para>
/// <para><b>Revert</b>: an atom reverts when it is SUCCESS or FAILURE with intention REVERT (or RETRY) and nothing after it,
/// transitively, is still other than PENDING, REVERTED or IGNORE. A retry with intention RETRY does not revert: it goes
/// SUCCESS→RETRYING, its subflow is reset to PENDING, and it runs again with its history (TaskFlow's <c>RetryScheduler</c>).</para>
/// <para><b>Failures</b> (TaskFlow's <c>Completer</c>): the nearest retry (<see cref="CompiledFlow.RetryOf"/>) records the failure in
/// its history and decides: RETRY → RevertAndRetry; REVERT → the parent retry is consulted, and with
/// <see cref="Definitions.FlowEngineOptions.DeferReverts"/> its resolution is used, otherwise it wins only if it is not the
/// undefined resolver and not a REVERT; else Revert of this retry; REVERT_ALL → RevertAll. No retry → RevertAll. Atoms outside
/// a reverting subgraph keep executing. <b>The strongest decision wins</b>: a RevertAndRetry or Revert of a retry that is already
/// reverting is not applied, so a REVERT_ALL is never undone by a later RETRY of a parallel subflow (TaskFlow's
/// <c>fix-revert-all-revert</c>); see <see cref="EngineStep.Resolutions"/>. A failed revert, or user code (a decider or a
/// retry's <c>OnFailure</c>) throwing, is not resolved: nothing more is scheduled and the flow ends FAILURE once running atoms finish.</para>
/// <para><b>Game over</b> (when nothing is in flight): an unresolved failure → FAILURE; when suspending and atoms are ready → SUSPENDED;
/// every atom SUCCESS or IGNORE → SUCCESS; otherwise REVERTED.</para>
/// <para><b>Flow states</b> follow TaskFlow's table (<see cref="States.FlowTransitions"/>):</para>
/// <list type="table">
/// <listheader><term>event</term><description>transitions</description></listheader>
/// <item><term><see cref="Start"/></term><description>PENDING→RUNNING, then RUNNING→SUCCESS/REVERTED/FAILURE at game over.</description></item>
/// <item><term><see cref="Suspend"/></term><description>RUNNING→SUSPENDING; running atoms finish, nothing new starts; then SUSPENDING→SUSPENDED, or SUCCESS/REVERTED/FAILURE if nothing was left. Ignored in any other state (harmless on a finished flow).</description></item>
/// <item><term><see cref="Resume"/></term><description>SUSPENDED→RUNNING and carry on; PENDING: as <see cref="Start"/>; after <see cref="Restore"/>: carry on in the restored state; otherwise nothing.</description></item>
/// <item><term><see cref="Cancel"/></term><description>RevertAll with a cancellation failure: PENDING or SUSPENDED→RUNNING first; from SUSPENDING the flow first becomes SUSPENDED, then RUNNING; ends REVERTED (FAILURE if a revert fails). Ignored on a finished flow.</description></item>
/// </list>
/// <para><b>Shell obligations</b> (what the grain must do around the engine):</para>
/// <list type="table">
/// <listheader><term>when</term><description>the shell</description></listheader>
/// <item><term>compiling</term><description>passes an <see cref="ITaskCatalog"/> that also exposes the silo's registered retry controllers and link deciders (<see cref="ITaskCatalog.TryGetRetryController"/>, <see cref="ITaskCatalog.TryGetDecider"/>).</description></item>
/// <item><term>every step</term><description>records <see cref="EngineStep.Changes"/> (events, timings), then carries out the commands; it calls the engine from one thread at a time.</description></item>
/// <item><term><see cref="EngineStep.Execute"/> / <see cref="EngineStep.Revert"/></term><description>prepares arguments with storage and calls executors, as before; feeds back <see cref="OnExecuted(int, object?)"/> with the result (the engine keeps results that deciders read) or <see cref="OnExecuteFailed"/> with the <see cref="Failure"/>; <see cref="OnReverted(int)"/> or <see cref="OnRevertFailed"/>.</description></item>
/// <item><term><see cref="EngineStep.ExecuteRetries"/></term><description>never sends retries to executors: prepares the retry's arguments from storage (retries are atoms in the storage setup), calls <see cref="CompiledRetry.Controller"/>.Execute with <see cref="GetRetryHistory"/>, saves the value as the retry's result (tasks bind to it through the retry's provides), and feeds back <see cref="OnRetryExecuted"/> with the value and the arguments, or <see cref="OnExecuteFailed"/>.</description></item>
/// <item><term><see cref="EngineStep.RevertRetries"/></term><description>calls the controller's Revert with the history, the retry's arguments and <c>flow_failures</c>; feeds back <see cref="OnReverted(int)"/> or <see cref="OnRevertFailed"/>.</description></item>
/// <item><term>persisting</term><description>stores <see cref="Capture"/> (retry histories, retry arguments, decider results and failures included) and restores with <see cref="Restore"/> then <see cref="Resume"/>.</description></item>
/// <item><term>client requests</term><description>maps suspend, resume and cancel to <see cref="Suspend"/>, <see cref="Resume"/> and <see cref="Cancel"/>, and shows <see cref="EngineFailures"/> and <see cref="CancellationFailure"/> as the flow's failure when no atom is to blame.</description></item>
/// </list>
/// <para>Pattern start and end nodes finish instantly and are not reported.</para>
/// </remarks>
internal sealed partial class FlowEngine
{
    private static readonly IReadOnlyDictionary<string, object?> NoArguments = new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());

    private readonly CompiledFlow _flow;
    private readonly bool _deferReverts;
    private readonly AtomState[] _states;
    private readonly Intention[] _intentions;
    private readonly int[] _attempts;
    private readonly bool[] _isRetry;
    private readonly RetryHistory?[] _histories;
    private readonly IReadOnlyDictionary<string, object?>?[] _retryArguments;
    private readonly Dictionary<int, object?> _deciderResults = [];
    private readonly Dictionary<int, Failure> _failures = [];
    private readonly List<Failure> _engineFailures = [];
    private int _inFlight;
    private int _tasksInFlight;
    private readonly int _maxConcurrency;
    private int _notSucceeded;
    private bool _revertAll;
    private bool _halted;
    private bool _anyFailure;
    private bool _restored;
    private bool _resumeAfterSuspend;
    private Failure? _cancellation;
    private EngineStep _step = new();

    /// <summary>Creates an engine for a new run of a compiled flow; everything is PENDING.</summary>
    /// <param name="flow">The compiled flow.</param>
    public FlowEngine(CompiledFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        _flow = flow;
        _deferReverts = flow.Options.DeferReverts;
        _maxConcurrency = flow.Options.MaxConcurrency is > 0 and var max ? max : int.MaxValue;
        _states = new AtomState[flow.NodeCount];
        _intentions = new Intention[flow.NodeCount];
        _attempts = new int[flow.AtomCount];
        _isRetry = new bool[flow.AtomCount];
        _histories = new RetryHistory?[flow.AtomCount];
        _retryArguments = new IReadOnlyDictionary<string, object?>?[flow.AtomCount];
        _waiting = new int[flow.NodeCount];
        _complete = new bool[flow.NodeCount];
        _blockers = new int[flow.NodeCount];
        _blocks = new bool[flow.NodeCount];
        _marks = new int[flow.NodeCount];
        for (var atom = 0; atom < flow.AtomCount; atom++)
        {
            if (flow.Atoms[atom].IsRetry)
            {
                _isRetry[atom] = true;
                _histories[atom] = RetryHistory.Empty;
            }
        }

        _notSucceeded = flow.AtomCount;
        State = FlowState.Pending;
        Initialize();
    }

    /// <summary>The flow's state.</summary>
    public FlowState State { get; private set; }

    /// <summary>The run's id, as deciders see it (<see cref="Authoring.DeciderContext.FlowId"/>); set by the shell.</summary>
    public string FlowId { get; set; } = "";

    /// <summary>The compiled flow this engine runs.</summary>
    public CompiledFlow Flow => _flow;

    /// <summary>How many atoms are dispatched and not yet finished.</summary>
    public int InFlight => _inFlight;

    /// <summary>Whether TaskFlow's RevertAll was applied (a failure with no retry, a REVERT_ALL decision, or a cancel): every atom reverts.</summary>
    public bool IsReverting => _revertAll;

    /// <summary>Failures of user code the engine called (a decider or a retry's <c>OnFailure</c> threw); each ends the flow in FAILURE.</summary>
    public IReadOnlyList<Failure> EngineFailures => _engineFailures;

    /// <summary>Why the flow was cancelled, or <see langword="null"/>.</summary>
    public Failure? CancellationFailure => _cancellation;

    /// <summary>An atom's state.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>Its state.</returns>
    public AtomState GetState(int atomId) => _states[atomId];

    /// <summary>An atom's intention.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>Its intention.</returns>
    public Intention GetIntention(int atomId) => _intentions[atomId];

    /// <summary>How many times an atom has been dispatched for execution; part of its execution id.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>The attempt number (1 for the first).</returns>
    public int GetAttempt(int atomId) => _attempts[atomId];

    /// <summary>A retry's history: each attempt's provided value and the failures that ended it (what its controller is given).</summary>
    /// <param name="retryId">The retry atom.</param>
    /// <returns>The history.</returns>
    /// <exception cref="ArgumentException">The atom is not a retry.</exception>
    public RetryHistory GetRetryHistory(int retryId) =>
        retryId >= 0 && retryId < _flow.AtomCount && _histories[retryId] is { } history
            ? history
            : throw new ArgumentException($"Atom {retryId} of flow '{_flow.Name}' is not a retry controller.", nameof(retryId));

    /// <summary>Starts the run: the flow goes RUNNING and every atom with nothing before it is dispatched.</summary>
    /// <returns>The step.</returns>
    /// <exception cref="InvalidOperationException">The run already started; use <see cref="Resume"/>.</exception>
    public EngineStep Start()
    {
        if (State != FlowState.Pending)
        {
            throw new InvalidOperationException($"Flow '{_flow.Name}' is {StateNames.Of(State)}, not PENDING: it already started. Use Resume to carry on.");
        }

        var step = Begin();
        ChangeFlow(FlowState.Running);
        ResumeCore();
        return End(step);
    }

    /// <summary>
    /// Carries on: from SUSPENDED the flow goes RUNNING again; after <see cref="Restore"/>, atoms that were RUNNING or REVERTING
    /// may or may not have finished, so they are dispatched again with the same attempt number (at-least-once). Then, as
    /// TaskFlow's completer resumes, atoms left in FAILURE are resolved again, retries left RETRYING reset their subflow, and
    /// whatever is ready is scheduled. A PENDING flow starts. Otherwise (finished, or running or suspending in this engine) nothing happens.
    /// </summary>
    /// <returns>The step.</returns>
    public EngineStep Resume()
    {
        if (State == FlowState.Pending)
        {
            return Start();
        }

        var step = Begin();
        switch (State)
        {
            case FlowState.Suspended:
                ChangeFlow(FlowState.Running);
                ResumeCore();
                break;
            case FlowState.Running or FlowState.Suspending when _restored:
                PassThroughResuming();
                ResumeCore();
                break;
        }

        return End(step);
    }

    /// <summary>Asks the flow to stop: running atoms finish, nothing new starts; the flow ends SUSPENDED, or finishes if nothing was left (TaskFlow's <c>engine.suspend()</c>).</summary>
    /// <returns>The step.</returns>
    /// <remarks>Ignored unless the flow is RUNNING: suspending a pending, finished or already suspended flow is harmless.</remarks>
    public EngineStep Suspend()
    {
        var step = Begin();
        if (State != FlowState.Running)
        {
            return step;
        }

        ChangeFlow(FlowState.Suspending);
        FinishIfDone();
        return End(step);
    }

    /// <summary>Cancels the run: everything that ran is reverted (TaskFlow's RevertAll, with <paramref name="reason"/> as the failure) and the flow ends REVERTED.</summary>
    /// <param name="reason">Why; a <c>TaskFlow.Orleans.FlowCancelledException</c> failure when omitted.</param>
    /// <returns>The step.</returns>
    /// <remarks>Ignored on a finished flow. A flow that is suspending finishes suspending first, then resumes to revert.</remarks>
    public EngineStep Cancel(Failure? reason = null)
    {
        var step = Begin();
        if (State is FlowState.Success or FlowState.Failure or FlowState.Reverted)
        {
            return step;
        }

        _cancellation = reason ?? Failure.Create("TaskFlow.Orleans.FlowCancelledException", $"Flow '{_flow.Name}' was cancelled.");
        _anyFailure = true;
        switch (State)
        {
            case FlowState.Pending or FlowState.Suspended:
                ChangeFlow(FlowState.Running);
                break;
            case FlowState.Suspending:
                _resumeAfterSuspend = true;
                break;
        }

        if (_restored)
        {
            RedispatchInFlight();
        }

        Apply(new Resolver(ResolutionStrategy.RevertAll, -1, IsUndefined: false), failedAtom: -1);
        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>A task's execute succeeded (storage has saved its result).</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="result">What it returned; kept only when a link decider reads it.</param>
    /// <returns>The step: successors to execute, or its revert if a failure elsewhere meanwhile asked for one.</returns>
    /// <remarks>A completion for an atom that is not RUNNING (a duplicate after a re-dispatch) is ignored. For a retry, this is
    /// <see cref="OnRetryExecuted"/> without arguments.</remarks>
    public EngineStep OnExecuted(int atomId, object? result)
    {
        if (_isRetry[atomId])
        {
            return OnRetryExecuted(atomId, result, null);
        }

        var step = Begin();
        if (_states[atomId] != AtomState.Running)
        {
            return step;
        }

        Landed(atomId);
        if (_flow.DeciderSource[atomId])
        {
            _deciderResults[atomId] = result;
        }

        SetAtomState(atomId, AtomState.Success);
        QueueRevert(atomId);
        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>A retry's execute, run by the shell, returned the value it provides to its subflow.</summary>
    /// <param name="retryId">The retry atom.</param>
    /// <param name="result">The value (saved by storage as the retry's result and appended to its history).</param>
    /// <param name="arguments">The arguments it ran with; kept for its <c>OnFailure</c>.</param>
    /// <returns>The step: the subflow's first atoms.</returns>
    /// <exception cref="ArgumentException">The atom is not a retry.</exception>
    public EngineStep OnRetryExecuted(int retryId, object? result, IReadOnlyDictionary<string, object?>? arguments)
    {
        if (!_isRetry[retryId])
        {
            throw new ArgumentException($"Atom '{_flow.Atoms[retryId].Name}' of flow '{_flow.Name}' is a task; report it with OnExecuted.", nameof(retryId));
        }

        var step = Begin();
        if (_states[retryId] != AtomState.Running)
        {
            return step;
        }

        Landed(retryId);
        _histories[retryId] = _histories[retryId]!.WithAttempt(result);
        Touch(retryId);
        _retryArguments[retryId] = arguments is null ? NoArguments : new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(arguments));
        SetAtomState(retryId, AtomState.Success);
        QueueRevert(retryId);
        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>An atom's execute failed (a task on its executor, or a retry's execute in the shell).</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="failure">The failure (recorded in the controlling retry's history).</param>
    /// <returns>The step: reverts, or a retry, as the failure is resolved.</returns>
    /// <remarks>A completion for an atom that is not RUNNING is ignored.</remarks>
    public EngineStep OnExecuteFailed(int atomId, Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var step = Begin();
        if (_states[atomId] != AtomState.Running)
        {
            return step;
        }

        Landed(atomId);
        if (_isRetry[atomId])
        {
            _histories[atomId] = _histories[atomId]! with { Failure = failure };
            Touch(atomId);
        }

        SetAtomState(atomId, AtomState.Failure);
        _failures[atomId] = failure;
        _anyFailure = true;
        if (_flow.Options.NeverResolve)
        {
            // TaskFlow's never_resolve: keep the failure, ask no retry, revert nothing; the run ends FAILURE.
            _halted = true;
        }
        else if (!_halted)
        {
            Resolve(atomId, failure);
        }

        QueueRevert(atomId);
        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>An atom's revert finished.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>The step: predecessors to revert next, a retry to run again, or the flow's end.</returns>
    /// <remarks>A completion for an atom that is not REVERTING is ignored. A reverted retry's history is emptied, as TaskFlow does.</remarks>
    public EngineStep OnReverted(int atomId)
    {
        var step = Begin();
        if (_states[atomId] != AtomState.Reverting)
        {
            return step;
        }

        Landed(atomId);
        if (_isRetry[atomId])
        {
            _histories[atomId] = RetryHistory.Empty;
            _retryArguments[atomId] = null;
            Touch(atomId);
        }

        SetAtomState(atomId, AtomState.Reverted);
        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>An atom's revert failed: as in TaskFlow the failure is not resolved; nothing more is scheduled and the flow ends FAILURE.</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="failure">The failure (storage keeps it; the engine only needs to know).</param>
    /// <returns>The step.</returns>
    /// <remarks>A completion for an atom that is not REVERTING is ignored.</remarks>
    public EngineStep OnRevertFailed(int atomId, Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var step = Begin();
        if (_states[atomId] != AtomState.Reverting)
        {
            return step;
        }

        Landed(atomId);
        SetAtomState(atomId, AtomState.RevertFailure);
        _halted = true;
        _anyFailure = true;
        FinishIfDone();
        return End(step);
    }
}
