using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Each event's step: begun, the in-flight counts kept, ordered by priority when it ends, and the flow's own changes.</summary>
internal sealed partial class FlowEngine
{
    private EngineStep Begin() => _step = new EngineStep();

    /// <summary>An atom's execute or revert answered: it no longer counts against the run's in-flight bounds.</summary>
    private void Landed(int atom)
    {
        _inFlight--;
        if (!_isRetry[atom])
        {
            _tasksInFlight--;
        }
    }

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

    private void ChangeFlow(FlowState to)
    {
        if (FlowTransitions.Check(State, to))
        {
            _step.Changes.Add(StateChange.Flow(State, to));
            State = to;
        }
    }
}
