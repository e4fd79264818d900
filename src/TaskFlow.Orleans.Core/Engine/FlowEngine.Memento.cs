using System.Collections.ObjectModel;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Capture and restore.</summary>
internal sealed partial class FlowEngine
{
    /// <summary>Restores an engine from persisted progress (after a deactivation or a crash).</summary>
    /// <param name="flow">The flow, compiled again from the same definition.</param>
    /// <param name="memento">The persisted progress.</param>
    /// <returns>The engine; call <see cref="Resume"/> to carry on (or <see cref="Cancel"/>).</returns>
    /// <exception cref="InvalidOperationException">The progress does not fit the compiled flow.</exception>
    public static FlowEngine Restore(Compilation.CompiledFlow flow, EngineMemento memento)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(memento);
        var engine = new FlowEngine(flow);
        if (memento.NodeStates.Length != flow.NodeCount || memento.Intentions.Length != flow.NodeCount || memento.Attempts.Length != flow.AtomCount)
        {
            throw new InvalidOperationException(
                $"Stored progress of flow '{flow.Name}' has {memento.NodeStates.Length} nodes, but the flow compiles to {flow.NodeCount}. " +
                "The definition changed after the run started; finish or discard old runs before changing a flow.");
        }

        Array.Copy(memento.NodeStates, engine._states, flow.AtomCount);
        memento.Intentions.CopyTo(engine._intentions, 0);
        memento.Attempts.CopyTo(engine._attempts, 0);
        engine.State = memento.FlowState;
        engine._revertAll = memento.Reverting;
        engine._halted = memento.RevertFailed;
        engine._cancellation = memento.Cancellation;
        engine._resumeAfterSuspend = memento.ResumeAfterSuspend;
        foreach (var (retry, history) in memento.RetryHistories ?? new Dictionary<int, RetryHistory>())
        {
            if (retry >= 0 && retry < flow.AtomCount && engine._isRetry[retry])
            {
                engine._histories[retry] = history;
            }
        }

        foreach (var (retry, arguments) in memento.RetryArguments ?? new Dictionary<int, IReadOnlyDictionary<string, object?>>())
        {
            if (retry >= 0 && retry < flow.AtomCount && engine._isRetry[retry])
            {
                engine._retryArguments[retry] = new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(arguments));
            }
        }

        foreach (var (atom, failure) in memento.Failures ?? new Dictionary<int, Failure>())
        {
            engine._failures[atom] = failure;
        }

        foreach (var (atom, result) in memento.DeciderResults ?? new Dictionary<int, object?>())
        {
            engine._deciderResults[atom] = result;
        }

        engine._engineFailures.AddRange(memento.EngineFailures ?? []);
        engine._notSucceeded = 0;
        var anyFailure = engine._revertAll || engine._halted || engine._cancellation is not null;
        for (var atom = 0; atom < flow.AtomCount; atom++)
        {
            var state = engine._states[atom];
            engine._notSucceeded += IsSucceeded(state) ? 0 : 1;
            engine._inFlight += state is AtomState.Running or AtomState.Reverting ? 1 : 0;
            engine._tasksInFlight += state is AtomState.Running or AtomState.Reverting && !engine._isRetry[atom] ? 1 : 0;
            anyFailure |= state is AtomState.Failure or AtomState.Reverting or AtomState.Reverted or AtomState.RevertFailure
                || engine._intentions[atom] is Intention.Revert or Intention.Retry;
        }

        engine._anyFailure = anyFailure;
        engine.Initialize();
        engine._restored = true;
        return engine;
    }

    /// <summary>Copies the engine's progress for persistence (plain arrays and dictionaries, safe to serialize and to keep).</summary>
    /// <returns>The progress.</returns>
    public EngineMemento Capture()
    {
        var histories = new Dictionary<int, RetryHistory>();
        var arguments = new Dictionary<int, IReadOnlyDictionary<string, object?>>();
        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            if (_histories[atom] is { } history)
            {
                histories[atom] = history;
            }

            if (_retryArguments[atom] is { } args)
            {
                // Plain dictionaries: the shell persists the memento with the Orleans serializer.
                arguments[atom] = new Dictionary<string, object?>(args);
            }
        }

        return new EngineMemento
        {
            FlowState = State,
            NodeStates = (AtomState[])_states.Clone(),
            Intentions = (Intention[])_intentions.Clone(),
            Attempts = (int[])_attempts.Clone(),
            Reverting = _revertAll,
            RevertFailed = _halted,
            RetryHistories = histories,
            RetryArguments = arguments,
            Failures = new Dictionary<int, Failure>(_failures),
            DeciderResults = new Dictionary<int, object?>(_deciderResults),
            EngineFailures = [.. _engineFailures],
            Cancellation = _cancellation,
            ResumeAfterSuspend = _resumeAfterSuspend,
        };
    }
}
