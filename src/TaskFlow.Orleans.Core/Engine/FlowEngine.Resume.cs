using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Resuming: what a restored or suspended run does when it carries on (TaskFlow's completer on RESUMING).</summary>
internal sealed partial class FlowEngine
{
    /// <summary>
    /// TaskFlow's <c>resume</c> reaction: dispatch again what a previous activation left in flight, resolve atoms left in FAILURE,
    /// reset the subflows of retries left RETRYING, then schedule whatever is ready (executes in definition order, then reverts).
    /// </summary>
    private void ResumeCore()
    {
        if (_restored)
        {
            RedispatchInFlight();
        }

        if (!_halted)
        {
            for (var atom = 0; atom < _flow.AtomCount; atom++)
            {
                if (_states[atom] == AtomState.Failure)
                {
                    var failure = _failures.GetValueOrDefault(atom)
                        ?? Failure.Create("TaskFlow.Orleans.UnknownFailure", $"Atom '{_flow.Atoms[atom].Name}' failed before the flow was restored; its failure was not kept.");
                    Resolve(atom, failure);
                    QueueRevert(atom);
                }
            }

            for (var atom = 0; atom < _flow.AtomCount; atom++)
            {
                if (_states[atom] == AtomState.Retrying)
                {
                    ResetSubflow(atom);
                }
            }
        }

        QueueEverythingReady();
        Drain();
        FinishIfDone();
    }

    /// <summary>After a restore, atoms that were RUNNING or REVERTING may or may not have finished: dispatch them again, same attempt.</summary>
    private void RedispatchInFlight()
    {
        _restored = false;
        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            if (_states[atom] == AtomState.Running)
            {
                (_isRetry[atom] ? _step.ExecuteRetries : _step.Execute).Add(atom);
            }
            else if (_states[atom] == AtomState.Reverting)
            {
                (_isRetry[atom] ? _step.RevertRetries : _step.Revert).Add(atom);
            }
        }
    }

    private void QueueEverythingReady()
    {
        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            if (CanExecute(atom))
            {
                _actions.Enqueue((false, atom));
            }
        }

        for (var atom = _flow.AtomCount - 1; atom >= 0; atom--)
        {
            if (CanRevert(atom))
            {
                _actions.Enqueue((true, atom));
            }
        }
    }
}
