using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>What changed since the shell last recorded, execution ids, and ending a run that cannot go on.</summary>
/// <remarks>
/// The shell records a run's changes in its logbook: after each batch of events it asks <see cref="TakeChangedAtoms"/> for the
/// atoms whose state, intention, attempt or retry history changed, and writes each of them whole. Each atom appears once however
/// often it changed, so a write costs O(changed atoms), never O(flow size).
/// </remarks>
internal sealed partial class FlowEngine
{
    private bool[]? _changed;
    private readonly List<int> _changedAtoms = [];

    /// <summary>The atoms whose state, intention, attempt, retry history or retry arguments changed since the last call, in the
    /// order they first changed; the list is then cleared.</summary>
    /// <returns>The atom ids.</returns>
    public int[] TakeChangedAtoms()
    {
        var atoms = _changedAtoms.ToArray();
        _changedAtoms.Clear();
        if (_changed is { } changed)
        {
            foreach (var atom in atoms)
            {
                changed[atom] = false;
            }
        }

        return atoms;
    }

    /// <summary>The id of an atom's current attempt, the same for every dispatch of that attempt (a re-dispatch after a crash
    /// carries it too), so tasks can make themselves idempotent with it: <c>{runId}/{atom name}/{attempt}</c>.</summary>
    /// <param name="runId">The run (flow id).</param>
    /// <param name="atomId">The atom.</param>
    /// <returns>The execution id.</returns>
    public string GetExecutionId(string runId, int atomId) => $"{runId}/{_flow.Atoms[atomId].Name}/{_attempts[atomId]}";

    /// <summary>Whether a failure could not be resolved (a revert failed, or user code the engine called threw): nothing more is scheduled.</summary>
    public bool IsHalted => _halted;

    /// <summary>Whether the run was cancelled while suspending, so it reverts once suspended.</summary>
    public bool ResumesAfterSuspend => _resumeAfterSuspend;

    /// <summary>The arguments a retry controller last executed with (what its <c>OnFailure</c> is given), if it ran.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>The arguments, or <see langword="null"/>.</returns>
    public IReadOnlyDictionary<string, object?>? GetRetryArguments(int atomId) => _retryArguments[atomId];

    /// <summary>The results link deciders read, by atom id (what the shell must give back to a restored engine).</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>Whether a decider reads this atom's result.</returns>
    public bool IsDeciderSource(int atomId) => _flow.DeciderSource[atomId];

    /// <summary>The flow states a run in <paramref name="from"/> passes through to end FAILURE when it cannot go on (a task it
    /// uses is no longer registered, or its stored progress no longer fits its definition), each allowed by TaskFlow's table.</summary>
    /// <param name="from">The stored state.</param>
    /// <returns>The changes, in order; empty when the run already finished.</returns>
    public static IReadOnlyList<StateChange> FailUnrecoverable(FlowState from)
    {
        var changes = new List<StateChange>();
        var state = from;
        if (state is FlowState.Success or FlowState.Failure or FlowState.Reverted)
        {
            return changes;
        }

        if (state is FlowState.Pending or FlowState.Suspended or FlowState.Resuming)
        {
            if (state == FlowState.Resuming)
            {
                Step(FlowState.Suspended);
            }

            Step(FlowState.Running);
        }

        Step(FlowState.Failure);
        return changes;

        void Step(FlowState to)
        {
            FlowTransitions.Check(state, to);
            changes.Add(StateChange.Flow(state, to));
            state = to;
        }
    }

    /// <summary>Notes that an atom's record changed (nodes that are not atoms are never recorded).</summary>
    private void Touch(int node)
    {
        if (node >= _flow.AtomCount)
        {
            return;
        }

        _changed ??= new bool[_flow.AtomCount];
        if (!_changed[node])
        {
            _changed[node] = true;
            _changedAtoms.Add(node);
        }
    }

    private void SetIntention(int node, Intention intention)
    {
        if (_intentions[node] != intention)
        {
            _intentions[node] = intention;
            Touch(node);
        }
    }

    /// <summary>
    /// A restored run passes through RESUMING as TaskFlow's table allows: RUNNING (or SUSPENDING) → RESUMING → SUSPENDED →
    /// RUNNING; a run that was suspending is asked to suspend again once its in-flight atoms are dispatched again.
    /// </summary>
    private void PassThroughResuming()
    {
        var wasSuspending = State == FlowState.Suspending;
        ChangeFlow(FlowState.Resuming);
        ChangeFlow(FlowState.Suspended);
        ChangeFlow(FlowState.Running);
        if (wasSuspending)
        {
            ChangeFlow(FlowState.Suspending);
        }
    }
}
