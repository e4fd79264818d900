using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>
/// The engine's decisions as a pure state machine: given the compiled graph, the current states and an event
/// (start, an atom executed or reverted, resume), it updates the states and returns the commands to carry out.
/// No I/O, no Orleans: the grain is a thin shell around it.
/// </summary>
/// <remarks>
/// <para><b>Scheduling</b> keeps, per node, the number of predecessors not yet finished, so a completion costs
/// O(its successors), not O(graph) (TaskFlow's selector rescans the graph, which makes a 1000-task linear flow
/// take 10 s there).</para>
/// <para><b>Reverting</b> follows TaskFlow's RevertAll resolution: after a failure every atom's intention becomes REVERT;
/// running atoms finish; an atom that ran (including the failed one, as TaskFlow does) reverts once none of its
/// successors still needs reverting, so reverts run in reverse dependency order and in parallel where the graph allows.
/// A failed revert stops further reverting and the flow ends FAILURE; otherwise it ends REVERTED.</para>
/// <para><b>Priority</b>: the atoms one step dispatches are ordered highest priority first, ties in the order they became
/// ready; reverts too, as TaskFlow's scheduler sorts every batch it schedules.</para>
/// <para>Pattern start and end nodes finish instantly and are not reported.</para>
/// </remarks>
public sealed class FlowEngine
{
    private readonly CompiledFlow _flow;
    private readonly AtomState[] _states;
    private readonly Intention[] _intentions;
    private readonly int[] _attempts;
    private readonly int[] _waiting;
    private readonly Stack<int> _work = new();
    private int[]? _blocking;
    private int _remaining;
    private int _inFlight;
    private bool _reverting;
    private bool _revertFailed;
    private EngineStep _step = new();

    /// <summary>Creates an engine for a new run of a compiled flow; everything is PENDING.</summary>
    /// <param name="flow">The compiled flow.</param>
    public FlowEngine(CompiledFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        _flow = flow;
        _states = new AtomState[flow.NodeCount];
        _intentions = new Intention[flow.NodeCount];
        _attempts = new int[flow.AtomCount];
        _waiting = new int[flow.NodeCount];
        for (var node = 0; node < flow.NodeCount; node++)
        {
            _waiting[node] = flow.Predecessors[node].Length;
        }

        _remaining = flow.NodeCount;
        State = FlowState.Pending;
    }

    /// <summary>The flow's state.</summary>
    public FlowState State { get; private set; }

    /// <summary>The compiled flow this engine runs.</summary>
    public CompiledFlow Flow => _flow;

    /// <summary>How many atoms are dispatched and not yet finished.</summary>
    public int InFlight => _inFlight;

    /// <summary>Whether the flow is reverting after a failure.</summary>
    public bool IsReverting => _reverting;

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

    /// <summary>Restores an engine from persisted progress (after a deactivation or a crash).</summary>
    /// <param name="flow">The flow, compiled again from the same definition.</param>
    /// <param name="memento">The persisted progress.</param>
    /// <returns>The engine; call <see cref="Resume"/> to carry on.</returns>
    /// <exception cref="InvalidOperationException">The progress does not fit the compiled flow.</exception>
    public static FlowEngine Restore(CompiledFlow flow, EngineMemento memento)
    {
        ArgumentNullException.ThrowIfNull(memento);
        var engine = new FlowEngine(flow);
        if (memento.NodeStates.Length != flow.NodeCount || memento.Intentions.Length != flow.NodeCount || memento.Attempts.Length != flow.AtomCount)
        {
            throw new InvalidOperationException(
                $"Stored progress of flow '{flow.Name}' has {memento.NodeStates.Length} nodes, but the flow compiles to {flow.NodeCount}. " +
                "The definition changed after the run started; finish or discard old runs before changing a flow.");
        }

        memento.NodeStates.CopyTo(engine._states, 0);
        memento.Intentions.CopyTo(engine._intentions, 0);
        memento.Attempts.CopyTo(engine._attempts, 0);
        engine.State = memento.FlowState;
        engine._reverting = memento.Reverting;
        engine._revertFailed = memento.RevertFailed;
        return engine;
    }

    /// <summary>Copies the engine's progress for persistence.</summary>
    /// <returns>The progress.</returns>
    public EngineMemento Capture() => new()
    {
        FlowState = State,
        NodeStates = (AtomState[])_states.Clone(),
        Intentions = (Intention[])_intentions.Clone(),
        Attempts = (int[])_attempts.Clone(),
        Reverting = _reverting,
        RevertFailed = _revertFailed,
    };

    /// <summary>Starts the run: the flow goes RUNNING and every atom with nothing before it is dispatched.</summary>
    /// <returns>The step.</returns>
    public EngineStep Start()
    {
        var step = Begin();
        ChangeFlow(FlowState.Running);
        for (var node = 0; node < _flow.NodeCount; node++)
        {
            if (_waiting[node] == 0 && _states[node] == AtomState.Pending)
            {
                MakeReady(node);
            }
        }

        Drain();
        FinishIfDone();
        return End(step);
    }

    /// <summary>
    /// Carries on after <see cref="Restore"/>: atoms that were RUNNING or REVERTING may or may not have finished, so they
    /// are dispatched again with the same attempt number (at-least-once), and anything ready is scheduled.
    /// </summary>
    /// <returns>The step.</returns>
    public EngineStep Resume()
    {
        var step = Begin();
        if (FlowStatusIsTerminal(State))
        {
            return step;
        }

        if (State == FlowState.Pending)
        {
            return Start();
        }

        _remaining = 0;
        _inFlight = 0;
        for (var node = 0; node < _flow.NodeCount; node++)
        {
            var waiting = 0;
            foreach (var predecessor in _flow.Predecessors[node])
            {
                if (!IsDone(_states[predecessor]))
                {
                    waiting++;
                }
            }

            _waiting[node] = waiting;
            if (!IsDone(_states[node]))
            {
                _remaining++;
            }
        }

        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            if (_states[atom] == AtomState.Running)
            {
                _inFlight++;
                step.Execute.Add(atom);
            }
            else if (_states[atom] == AtomState.Reverting)
            {
                _inFlight++;
                step.Revert.Add(atom);
            }
        }

        if (_reverting)
        {
            ComputeBlocking();
            if (!_revertFailed)
            {
                for (var node = _flow.NodeCount - 1; node >= 0; node--)
                {
                    TryStartRevert(node);
                }
            }
        }
        else
        {
            for (var node = 0; node < _flow.NodeCount; node++)
            {
                if (_waiting[node] == 0 && _states[node] == AtomState.Pending && _intentions[node] == Intention.Execute)
                {
                    MakeReady(node);
                }
            }

            Drain();
        }

        FinishIfDone();
        return End(step);
    }

    /// <summary>An atom's execute finished (its result or failure is saved by storage).</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    /// <returns>The step: successors to execute, or reverts to run after a failure.</returns>
    /// <remarks>A completion for an atom that is not RUNNING (a duplicate after a re-dispatch) is ignored.</remarks>
    public EngineStep OnExecuted(int atomId, bool succeeded)
    {
        var step = Begin();
        if (_states[atomId] != AtomState.Running)
        {
            return step;
        }

        _inFlight--;
        if (succeeded)
        {
            ChangeAtom(atomId, AtomState.Success);
            if (_reverting)
            {
                TryStartRevert(atomId);
            }
            else
            {
                _remaining--;
                ReleaseSuccessors(atomId);
                Drain();
            }
        }
        else
        {
            ChangeAtom(atomId, AtomState.Failure);
            if (!_reverting)
            {
                RevertAll();
            }
            else
            {
                TryStartRevert(atomId);
            }
        }

        FinishIfDone();
        return End(step);
    }

    /// <summary>An atom's revert finished.</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    /// <returns>The step: predecessors to revert next, or the flow's end.</returns>
    /// <remarks>A completion for an atom that is not REVERTING (a duplicate after a re-dispatch) is ignored.</remarks>
    public EngineStep OnReverted(int atomId, bool succeeded)
    {
        var step = Begin();
        if (_states[atomId] != AtomState.Reverting)
        {
            return step;
        }

        _inFlight--;
        if (succeeded)
        {
            ChangeAtom(atomId, AtomState.Reverted);
            ReleasePredecessors(atomId);
        }
        else
        {
            // As TaskFlow: a failed revert is not resolved; nothing more is scheduled and the flow ends FAILURE.
            ChangeAtom(atomId, AtomState.RevertFailure);
            _revertFailed = true;
        }

        FinishIfDone();
        return End(step);
    }

    private EngineStep Begin() => _step = new EngineStep();

    /// <summary>Orders what the step dispatches by priority, executes and reverts alike (TaskFlow's <c>do_schedule</c>).</summary>
    private EngineStep End(EngineStep step)
    {
        if (_flow.HasPriorities)
        {
            SortByPriority(step.Execute);
            SortByPriority(step.Revert);
        }

        return step;
    }

    /// <summary>Stable: highest priority first, otherwise in the order the atoms became ready.</summary>
    private void SortByPriority(List<int> atoms)
    {
        if (atoms.Count < 2)
        {
            return;
        }

        var ordered = atoms.Select((atom, index) => (atom, index))
            .OrderByDescending(x => _flow.Atoms[x.atom].Priority).ThenBy(x => x.index).Select(x => x.atom).ToList();
        atoms.Clear();
        atoms.AddRange(ordered);
    }

    private static bool IsDone(AtomState state) => state is AtomState.Success or AtomState.Ignore;

    private static bool NeedsRevert(AtomState state) =>
        state is AtomState.Running or AtomState.Success or AtomState.Failure or AtomState.Reverting;

    private static bool FlowStatusIsTerminal(FlowState state) =>
        state is FlowState.Success or FlowState.Failure or FlowState.Reverted or FlowState.Suspended;

    private void ChangeFlow(FlowState to)
    {
        if (FlowTransitions.Check(State, to))
        {
            _step.Changes.Add(StateChange.Flow(State, to));
            State = to;
        }
    }

    private void ChangeAtom(int atomId, AtomState to)
    {
        var from = _states[atomId];
        if (AtomTransitions.Check(_flow.Atoms[atomId].Name, from, to))
        {
            _states[atomId] = to;
            _step.Changes.Add(StateChange.Atom(atomId, from, to));
        }
    }

    /// <summary>A node whose predecessors are all done: markers finish at once, atoms are dispatched.</summary>
    private void MakeReady(int node)
    {
        if (!_flow.IsAtom(node))
        {
            _states[node] = AtomState.Success;
            _remaining--;
            _work.Push(node);
            return;
        }

        ChangeAtom(node, AtomState.Running);
        _attempts[node]++;
        _inFlight++;
        _step.Execute.Add(node);
    }

    private void ReleaseSuccessors(int node)
    {
        foreach (var successor in _flow.Successors[node])
        {
            if (--_waiting[successor] == 0 && _states[successor] == AtomState.Pending && _intentions[successor] == Intention.Execute)
            {
                MakeReady(successor);
            }
        }
    }

    private void Drain()
    {
        while (_work.Count > 0)
        {
            ReleaseSuccessors(_work.Pop());
        }
    }

    /// <summary>TaskFlow's RevertAll: every atom's intention becomes REVERT; whatever ran reverts in reverse dependency order.</summary>
    private void RevertAll()
    {
        _reverting = true;
        Array.Fill(_intentions, Intention.Revert);
        ComputeBlocking();
        for (var node = _flow.NodeCount - 1; node >= 0; node--)
        {
            TryStartRevert(node);
        }
    }

    private void ComputeBlocking()
    {
        _blocking = new int[_flow.NodeCount];
        for (var node = 0; node < _flow.NodeCount; node++)
        {
            var count = 0;
            foreach (var successor in _flow.Successors[node])
            {
                if (NeedsRevert(_states[successor]))
                {
                    count++;
                }
            }

            _blocking[node] = count;
        }
    }

    private void TryStartRevert(int node)
    {
        if (_revertFailed || _blocking![node] != 0 || _states[node] is not (AtomState.Success or AtomState.Failure))
        {
            return;
        }

        if (_flow.IsAtom(node))
        {
            ChangeAtom(node, AtomState.Reverting);
            _inFlight++;
            _step.Revert.Add(node);
        }
        else
        {
            _states[node] = AtomState.Reverted;
            ReleasePredecessors(node);
        }
    }

    private void ReleasePredecessors(int node)
    {
        if (_revertFailed)
        {
            return;
        }

        _work.Push(node);
        while (_work.Count > 0)
        {
            foreach (var predecessor in _flow.Predecessors[_work.Pop()])
            {
                if (--_blocking![predecessor] != 0 || _states[predecessor] is not (AtomState.Success or AtomState.Failure))
                {
                    continue;
                }

                if (_flow.IsAtom(predecessor))
                {
                    ChangeAtom(predecessor, AtomState.Reverting);
                    _inFlight++;
                    _step.Revert.Add(predecessor);
                }
                else
                {
                    _states[predecessor] = AtomState.Reverted;
                    _work.Push(predecessor);
                }
            }
        }
    }

    private void FinishIfDone()
    {
        if (_inFlight > 0 || FlowStatusIsTerminal(State))
        {
            return;
        }

        FlowState outcome;
        if (_revertFailed)
        {
            outcome = FlowState.Failure;
        }
        else if (_reverting)
        {
            outcome = FlowState.Reverted;
        }
        else if (_remaining == 0)
        {
            outcome = FlowState.Success;
        }
        else
        {
            throw new InvalidOperationException(
                $"Engine of flow '{_flow.Name}' has nothing in flight and {_remaining} unfinished nodes; this is a bug in the scheduler.");
        }

        ChangeFlow(outcome);
        _step.Finished = outcome;
    }
}
