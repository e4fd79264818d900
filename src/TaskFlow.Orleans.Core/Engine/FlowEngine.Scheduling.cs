using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Selector and scheduler: per-node counters kept up to date on every state change, and the queue of atoms to look at.</summary>
internal sealed partial class FlowEngine
{
    // Forward: how many predecessors are not complete, and whether a node is complete (an atom SUCCESS, or IGNORE once its
    // predecessors are; a pattern marker once its predecessors are). TaskFlow looks at all predecessors transitively; an
    // IGNOREd atom or a marker passing completeness through gives the same answer from direct predecessors only.
    private readonly int[] _waiting;
    private readonly bool[] _complete;

    // Reverse: how many successors block a revert, and whether a node blocks its predecessors (an atom not PENDING, REVERTED
    // or IGNORE, or any node something after which does): TaskFlow's transitive "every successor PENDING, REVERTED or IGNORE".
    private readonly int[] _blockers;
    private readonly bool[] _blocks;

    // Atoms to look at, in order: may it execute (false) or revert (true) now? Filled as counters reach zero.
    private readonly Queue<(bool Revert, int Atom)> _actions = new();
    private readonly List<(int Atom, bool Revert)> _batch = [];
    private readonly HashSet<int> _batched = [];
    private readonly Queue<int> _completeWork = new();
    private readonly Queue<(int Atom, bool Revert)> _deferred = new();
    private readonly Stack<int> _blockWork = new();
    private readonly int[] _marks;
    private int _markStamp;

    /// <summary>Computes every counter from the states, in topological order (construction and restore: O(nodes + edges)).</summary>
    private void Initialize()
    {
        var order = _flow.TopologicalOrder;
        foreach (var node in order)
        {
            var waiting = 0;
            foreach (var predecessor in _flow.Predecessors[node])
            {
                if (!_complete[predecessor])
                {
                    waiting++;
                }
            }

            _waiting[node] = waiting;
            _complete[node] = ComputeComplete(node);
            if (!_flow.IsAtom(node))
            {
                _states[node] = _complete[node] ? AtomState.Success : AtomState.Pending;
            }
        }

        for (var i = order.Length - 1; i >= 0; i--)
        {
            var node = order[i];
            var blockers = 0;
            foreach (var successor in _flow.Successors[node])
            {
                if (_blocks[successor])
                {
                    blockers++;
                }
            }

            _blockers[node] = blockers;
            _blocks[node] = OwnBlocks(node) || blockers > 0;
        }
    }

    private bool ComputeComplete(int node) => !_flow.IsAtom(node)
        ? _waiting[node] == 0
        : _states[node] == AtomState.Success || (_states[node] == AtomState.Ignore && _waiting[node] == 0);

    private bool OwnBlocks(int node) =>
        _flow.IsAtom(node) && _states[node] is not (AtomState.Pending or AtomState.Reverted or AtomState.Ignore);

    private static bool IsSucceeded(AtomState state) => state is AtomState.Success or AtomState.Ignore;

    /// <summary>Changes an atom's state (checked against TaskFlow's tables), reports it, and updates the counters around it.</summary>
    private void SetAtomState(int atom, AtomState to)
    {
        var from = _states[atom];
        if (!AtomTransitions.Check(_flow.Atoms[atom].Name, from, to, _isRetry[atom]))
        {
            return;
        }

        _states[atom] = to;
        Touch(atom);
        _step.Changes.Add(StateChange.Atom(atom, from, to));
        if (IsSucceeded(from) != IsSucceeded(to))
        {
            _notSucceeded += IsSucceeded(to) ? -1 : 1;
        }

        if (from == AtomState.Failure)
        {
            _failures.Remove(atom);
        }

        RefreshComplete(atom);
        RefreshBlocks(atom);
    }

    /// <summary>Propagates a change of completeness to successors; queues atoms whose predecessors are now all complete.</summary>
    private void RefreshComplete(int start)
    {
        _completeWork.Enqueue(start);
        while (_completeWork.TryDequeue(out var node))
        {
            var complete = ComputeComplete(node);
            if (complete == _complete[node])
            {
                continue;
            }

            _complete[node] = complete;
            if (!_flow.IsAtom(node))
            {
                _states[node] = complete ? AtomState.Success : AtomState.Pending;
            }

            foreach (var successor in _flow.Successors[node])
            {
                _waiting[successor] += complete ? -1 : 1;
                if (!_flow.IsAtom(successor) || _states[successor] == AtomState.Ignore)
                {
                    _completeWork.Enqueue(successor);
                }
                else if (complete && _waiting[successor] == 0)
                {
                    _actions.Enqueue((false, successor));
                }
            }
        }
    }

    /// <summary>Propagates a change of "blocks a revert" to predecessors; queues atoms nothing blocks any more.</summary>
    private void RefreshBlocks(int start)
    {
        _blockWork.Push(start);
        while (_blockWork.TryPop(out var node))
        {
            var blocks = OwnBlocks(node) || _blockers[node] > 0;
            if (blocks == _blocks[node])
            {
                continue;
            }

            _blocks[node] = blocks;
            foreach (var predecessor in _flow.Predecessors[node])
            {
                if (blocks)
                {
                    if (++_blockers[predecessor] == 1)
                    {
                        _blockWork.Push(predecessor);
                    }
                }
                else if (--_blockers[predecessor] == 0)
                {
                    _blockWork.Push(predecessor);
                    if (_flow.IsAtom(predecessor))
                    {
                        _actions.Enqueue((true, predecessor));
                    }
                }
            }
        }
    }

    /// <summary>TaskFlow's ready-to-execute: may move to RUNNING, intention EXECUTE, every predecessor complete.</summary>
    private bool CanExecute(int atom) =>
        (_states[atom] == AtomState.Pending || (_isRetry[atom] && _states[atom] == AtomState.Retrying))
        && _intentions[atom] == Intention.Execute
        && _waiting[atom] == 0;

    /// <summary>TaskFlow's ready-to-revert: may move to REVERTING, intention REVERT or RETRY, nothing after it still to undo.</summary>
    private bool CanRevert(int atom) =>
        _states[atom] is AtomState.Success or AtomState.Failure
        && _intentions[atom] is Intention.Revert or Intention.Retry
        && _blockers[atom] == 0;

    private void QueueRevert(int atom)
    {
        if (_intentions[atom] is Intention.Revert or Intention.Retry)
        {
            _actions.Enqueue((true, atom));
        }
    }

    /// <summary>
    /// Looks at every queued atom in order (TaskFlow's selector, deciders included), then schedules the batch found ready,
    /// highest priority first, executes and reverts alike (TaskFlow's <c>do_schedule</c>), so state changes come out in that order.
    /// </summary>
    /// <remarks>With an unresolved failure nothing more is scheduled, as TaskFlow stops selecting once it retains a failure.
    /// While suspending, ready atoms stay where they are (deciders are still asked, as TaskFlow's analyze does).</remarks>
    private void Drain()
    {
        StartDeferred();
        while (true)
        {
            while (_actions.TryDequeue(out var action))
            {
                var atom = action.Atom;
                if (_halted || _batched.Contains(atom))
                {
                    continue;
                }

                if (action.Revert ? CanRevert(atom) : CanExecute(atom) && PassesDeciders(atom))
                {
                    _batched.Add(atom);
                    _batch.Add((atom, action.Revert));
                }
            }

            if (_batch.Count == 0)
            {
                _batched.Clear();
                return;
            }

            if (_flow.HasPriorities && _batch.Count > 1)
            {
                var ordered = _batch.Select((entry, index) => (entry, index))
                    .OrderByDescending(x => _flow.Atoms[x.entry.Atom].Priority).ThenBy(x => x.index).Select(x => x.entry).ToList();
                _batch.Clear();
                _batch.AddRange(ordered);
            }

            var batch = _batch.ToArray();
            _batch.Clear();
            _batched.Clear();
            foreach (var (atom, revert) in batch)
            {
                if (_halted)
                {
                    break;
                }

                if (revert ? CanRevert(atom) : CanExecute(atom))
                {
                    if (!_isRetry[atom] && _tasksInFlight >= _maxConcurrency)
                    {
                        // The run's bound is reached: it starts when one in flight answers (TaskFlow's max_workers queue).
                        _deferred.Enqueue((atom, revert));
                        continue;
                    }

                    if (revert)
                    {
                        StartRevert(atom);
                    }
                    else
                    {
                        StartExecute(atom);
                    }
                }
            }
        }
    }

    /// <summary>Atoms held back by <see cref="Definitions.FlowEngineOptions.MaxConcurrency"/>, oldest first, while the bound allows
    /// and they are still ready (a revert-all or a suspend meanwhile leaves them where they are).</summary>
    private void StartDeferred()
    {
        while (_deferred.Count > 0 && _tasksInFlight < _maxConcurrency && !_halted)
        {
            var (atom, revert) = _deferred.Dequeue();
            if (revert ? CanRevert(atom) : CanExecute(atom))
            {
                if (revert)
                {
                    StartRevert(atom);
                }
                else
                {
                    StartExecute(atom);
                }
            }
        }
    }

    private void StartExecute(int atom)
    {
        if (State != FlowState.Running)
        {
            return;
        }

        SetAtomState(atom, AtomState.Running);
        _attempts[atom]++;
        _inFlight++;
        _tasksInFlight += _isRetry[atom] ? 0 : 1;
        (_isRetry[atom] ? _step.ExecuteRetries : _step.Execute).Add(atom);
    }

    private void StartRevert(int atom)
    {
        if (State != FlowState.Running)
        {
            return;
        }

        if (_intentions[atom] == Intention.Retry && _states[atom] == AtomState.Success)
        {
            RetryAgain(atom);
            return;
        }

        SetAtomState(atom, AtomState.Reverting);
        _inFlight++;
        _tasksInFlight += _isRetry[atom] ? 0 : 1;
        (_isRetry[atom] ? _step.RevertRetries : _step.Revert).Add(atom);
    }

    /// <summary>TaskFlow's <c>RetryScheduler</c> for intention RETRY: RETRYING, the subflow reset to PENDING, then the retry runs again.</summary>
    private void RetryAgain(int retry)
    {
        SetAtomState(retry, AtomState.Retrying);
        ResetSubflow(retry);
        StartExecute(retry);
    }

    /// <summary>TaskFlow's <c>retry_subflow</c>: the retry's intention back to EXECUTE, everything after it PENDING with intention EXECUTE.</summary>
    private void ResetSubflow(int retry)
    {
        SetIntention(retry, Intention.Execute);
        foreach (var node in Subgraph(retry))
        {
            SetIntention(node, Intention.Execute);
            if (_flow.IsAtom(node) && _states[node] != AtomState.Pending)
            {
                SetAtomState(node, AtomState.Pending);
            }
        }
    }

    /// <summary>Every node reachable from <paramref name="start"/> (not itself), depth first in edge order (TaskFlow's <c>reset_subgraph</c> walk).</summary>
    private List<int> Subgraph(int start)
    {
        var stamp = ++_markStamp;
        var found = new List<int>();
        var stack = new Stack<int>();
        PushSuccessors(stack, start);
        while (stack.TryPop(out var node))
        {
            if (_marks[node] == stamp)
            {
                continue;
            }

            _marks[node] = stamp;
            found.Add(node);
            PushSuccessors(stack, node);
        }

        return found;
    }

    private void PushSuccessors(Stack<int> stack, int node)
    {
        var successors = _flow.Successors[node];
        for (var i = successors.Length - 1; i >= 0; i--)
        {
            stack.Push(successors[i]);
        }
    }

    /// <summary>TaskFlow's <c>game_over</c>, once nothing is in flight: FAILURE, SUSPENDED, SUCCESS or REVERTED.</summary>
    private void FinishIfDone()
    {
        if (_inFlight > 0 || State is not (FlowState.Running or FlowState.Suspending))
        {
            return;
        }

        FlowState outcome;
        if (_halted)
        {
            outcome = FlowState.Failure;
        }
        else if (State == FlowState.Suspending && HasLeftovers())
        {
            outcome = FlowState.Suspended;
        }
        else if (_notSucceeded == 0)
        {
            outcome = FlowState.Success;
        }
        else if (_anyFailure)
        {
            outcome = FlowState.Reverted;
        }
        else
        {
            throw new InvalidOperationException(
                $"Engine of flow '{_flow.Name}' has nothing in flight and {_notSucceeded} atoms not done, with no failure; this is a bug in the scheduler.");
        }

        ChangeFlow(outcome);
        _step.Finished = outcome;
        if (outcome == FlowState.Suspended && _resumeAfterSuspend)
        {
            // Cancelled while suspending: the suspension is complete; now revert what ran.
            _resumeAfterSuspend = false;
            ChangeFlow(FlowState.Running);
            _step.Finished = null;
            QueueEverythingReady();
            Drain();
            FinishIfDone();
        }
    }

    /// <summary>Whether any atom is ready to execute or revert (TaskFlow counts these, deciders not asked, to tell SUSPENDED from finished).</summary>
    private bool HasLeftovers()
    {
        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            if (CanExecute(atom) || CanRevert(atom))
            {
                return true;
            }
        }

        return false;
    }
}
