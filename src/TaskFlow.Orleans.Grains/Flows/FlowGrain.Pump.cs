using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Flows;

public sealed partial class FlowGrain
{
    private List<Outcome> _inbox = [];
    private readonly List<int> _pendingExecutes = [];
    private readonly List<int> _pendingReverts = [];
    private bool _pumping;

    /// <summary>An executor's (or a local retry controller's) answer, waiting to be fed to the engine.</summary>
    private readonly record struct Outcome(int AtomId, bool IsRevert, ExecutionResult Result, IReadOnlyDictionary<string, object?>? RetryArguments = null);

    private void Post(Outcome outcome)
    {
        if (_deactivating)
        {
            // This activation is going away and must not drive the flow any more: the next one resumes from the persisted
            // state and dispatches the atom again (at least once), so the outcome is dropped here.
            return;
        }

        _inbox.Add(outcome);
        EnsurePump();
    }

    private void EnsurePump()
    {
        if (!_pumping && (_inbox.Count > 0 || _pendingExecutes.Count > 0 || _pendingReverts.Count > 0))
        {
            _pumping = true;
            _ = PumpAsync();
        }
    }

    /// <summary>
    /// The one loop that changes the engine: feeds it every outcome that arrived, then makes one storage call that saves
    /// those outcomes and prepares the arguments of everything the engine decided to dispatch, then dispatches.
    /// Outcomes arriving meanwhile are batched into the next round, so a fan-out of 1000 costs few storage calls.
    /// </summary>
    private async Task PumpAsync()
    {
        try
        {
            while (_inbox.Count > 0 || _pendingExecutes.Count > 0 || _pendingReverts.Count > 0)
            {
                var batch = _inbox;
                _inbox = [];
                var completions = new AtomCompletion[batch.Count];
                var count = 0;
                foreach (var outcome in batch)
                {
                    var step = Feed(outcome);
                    if (step.IsEmpty)
                    {
                        continue; // a duplicate answer for an atom that is no longer in flight
                    }

                    completions[count++] = new AtomCompletion(outcome.AtomId, outcome.IsRevert, outcome.Result.Value, outcome.Result.Failure);
                    ApplyStep(step, outcome);
                }

                if (count != completions.Length)
                {
                    Array.Resize(ref completions, count);
                }

                var executes = _pendingExecutes.ToArray();
                var reverts = _pendingReverts.ToArray();
                _pendingExecutes.Clear();
                _pendingReverts.Clear();
                if (count == 0 && executes.Length == 0 && reverts.Length == 0)
                {
                    continue;
                }

                _unackedSave = true;
                var prepared = await _storage.SaveAndPrepareAsync(completions, executes, reverts);
                if (_savedCount is { } before)
                {
                    // Fewer saves than made: earlier outcomes were lost with a storage activation, so these arguments may be too.
                    CheckSaveCount(prepared.SaveCount, before + (completions.Length > 0 ? 1 : 0));
                }

                _savedCount = prepared.SaveCount;

                _unackedSave = false;

                // Every change the engine made so far is now in storage's memory: a consistent point to commit from.
                RequestCommit();
                if (_options.PersistBeforeDispatch || _version - _durableVersion > _options.MaxUnpersistedTransitions)
                {
                    await WaitDurableAsync(_version);
                }

                if (_deactivating)
                {
                    return; // the next activation dispatches these from the persisted state
                }

                Dispatch(executes, reverts, prepared);
            }
        }
        catch (Exception exception)
        {
            // Storage is unreachable or failed: stop here; the durable state is consistent and the flow resumes from it.
            LogPumpFailed(exception, FlowId);
            // The engine may have applied outcomes storage never got (the call failed, or reached an activation that then
            // died): its progress must not be persisted, not even when deactivating. Resume from the durable state instead.
            _storageLost = true;
            _unackedSave = false;
            DeactivateOnIdle();
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>Feeds one outcome to the engine, with its result or Failure as data.</summary>
    private EngineStep Feed(Outcome outcome)
    {
        var engine = _engine!;
        var (id, result) = (outcome.AtomId, outcome.Result);
        if (outcome.IsRevert)
        {
            return result.IsSuccess ? engine.OnReverted(id) : engine.OnRevertFailed(id, result.Failure!);
        }

        if (!result.IsSuccess)
        {
            return engine.OnExecuteFailed(id, result.Failure!);
        }

        return engine.Flow.Atoms[id].IsRetry
            ? engine.OnRetryExecuted(id, result.Value, outcome.RetryArguments)
            : engine.OnExecuted(id, result.Value);
    }

    /// <summary>Records the engine's state changes (events, timings, version) and queues its commands.</summary>
    private void ApplyStep(EngineStep step, Outcome? outcome)
    {
        var now = _time.GetUtcNow();
        if (step.Changes.Count > 0)
        {
            MarkDirty();
        }

        foreach (var change in step.Changes)
        {
            _version++;
            if (change.IsFlow)
            {
                _flowState = change.FlowTo;
                if (FlowStatus.IsTerminal(change.FlowTo))
                {
                    _finishedFlowAt = now;
                    _terminalVersion = _version;
                    StopKeepAlive();
                    LogFinished(FlowId, change.FlowTo);
                    continue; // published once durable
                }

                Publish(new Snapshots.FlowEvent { Sequence = 0, Timestamp = now, Name = _engine!.Flow.Name, FlowState = change.FlowTo });
                continue;
            }

            var atom = change.AtomId;
            TrackProgress(atom, change.AtomTo);
            object? result = null;
            Failure? failure = null;
            switch (change.AtomTo)
            {
                case AtomState.Running or AtomState.Reverting:
                    _startedAt[atom] = now.UtcTicks;
                    _finishedAt[atom] = 0;
                    break;
                case AtomState.Success or AtomState.Failure or AtomState.Reverted or AtomState.RevertFailure:
                    _finishedAt[atom] = now.UtcTicks;
                    if (outcome is { } o && o.AtomId == atom)
                    {
                        result = o.Result.Value;
                        failure = o.Result.Failure;
                        _ranOn[atom] = o.Result.RanOn ?? _ranOn[atom];
                    }

                    break;
            }

            Publish(new Snapshots.FlowEvent
            {
                Sequence = 0,
                Timestamp = now,
                Name = _engine!.Flow.Atoms[atom].Name,
                IsRetry = _engine.Flow.Atoms[atom].IsRetry,
                AtomState = change.AtomTo,
                Result = change.AtomTo == AtomState.Success ? result : null,
                Failure = failure,
            });
        }

        // Retry controllers are prepared by storage like tasks, but run here, in the engine's process (as in TaskFlow).
        _pendingExecutes.AddRange(step.Execute);
        _pendingExecutes.AddRange(step.ExecuteRetries);
        _pendingReverts.AddRange(step.Revert);
        _pendingReverts.AddRange(step.RevertRetries);
    }

    private void Dispatch(int[] executes, int[] reverts, PreparedCalls prepared)
    {
        var flow = _engine!.Flow;
        for (var i = 0; i < executes.Length; i++)
        {
            var atomId = executes[i];
            var atom = flow.Atoms[atomId];
            if (prepared.Unresolved.TryGetValue(atomId, out var missing))
            {
                Post(new Outcome(atomId, false, ExecutionResult.Failed(missing)));
                continue;
            }

            if (atom.Retry is { } retry)
            {
                var arguments = prepared.Executes[i];
                Post(new Outcome(atomId, false, RunController(() => retry.Controller.Execute(_engine.GetRetryHistory(atomId), arguments)), arguments));
                continue;
            }

            var request = new TaskRequest
            {
                FlowId = FlowId,
                AtomName = atom.Name,
                TaskName = atom.TaskName,
                ExecutionId = ExecutionId(atomId),
                Arguments = prepared.Executes[i],
                Timeout = atom.Timeout,
            };
            _ = CallAsync(atomId, isRevert: false, atom.Capability is { } capability
                ? () =>
                {
                    var routed = Routed(capability);
                    return new ExecutorCall(() => routed.ExecuteAsync(request), () => routed.CancelAsync(request.ExecutionId));
                }
                : () =>
                {
                    var executor = PickExecutor();
                    return new ExecutorCall(() => executor.ExecuteAsync(request), () => executor.CancelAsync(request.ExecutionId));
                });
        }

        for (var i = 0; i < reverts.Length; i++)
        {
            var atomId = reverts[i];
            var atom = flow.Atoms[atomId];
            var revert = prepared.Reverts[i];
            if (atom.Retry is { } retry)
            {
                var arguments = new Dictionary<string, object?>(revert.Arguments) { [Core.Retries.RetryArguments.FlowFailures] = revert.FlowFailures };
                Post(new Outcome(atomId, true, RunController(() =>
                {
                    retry.Controller.Revert(_engine.GetRetryHistory(atomId), arguments);
                    return null;
                })));
                continue;
            }
            if (revert.NothingToRevert)
            {
                // Execute never ran (its arguments could not be prepared): reverted without calling the task.
                Post(new Outcome(atomId, true, ExecutionResult.Success(null)));
                continue;
            }

            var request = new RevertRequest
            {
                FlowId = FlowId,
                AtomName = atom.Name,
                TaskName = atom.TaskName,
                ExecutionId = ExecutionId(atomId),
                Arguments = revert.Arguments,
                Result = revert.Result,
                ExecuteFailure = revert.ExecuteFailure,
                FlowFailures = revert.FlowFailures,
            };
            _ = CallAsync(atomId, isRevert: true, atom.Capability is { } capability
                ? () =>
                {
                    var routed = Routed(capability);
                    return new ExecutorCall(() => routed.RevertAsync(request), static () => Task.CompletedTask);
                }
                : () =>
                {
                    var executor = PickExecutor();
                    return new ExecutorCall(() => executor.RevertAsync(request), static () => Task.CompletedTask);
                });
        }
    }

    /// <summary>Runs retry-controller code (built-in or registered by the user); its exception becomes the atom's Failure.</summary>
    private ExecutionResult RunController(Func<object?> run)
    {
        try
        {
            return ExecutionResult.Success(run(), RuntimeIdentity);
        }
        catch (Exception exception)
        {
            return ExecutionResult.Failed(Failure.FromException(exception), RuntimeIdentity);
        }
    }

    /// <summary>Stable for every dispatch of one attempt, so a re-dispatch after a crash carries the same id.</summary>
    private string ExecutionId(int atomId) => $"{FlowId}/{_engine!.Flow.Atoms[atomId].Name}/{_engine.GetAttempt(atomId)}";

    /// <summary>One dispatch to one executor: the call, and how to cancel the task's token there.</summary>
    private sealed record ExecutorCall(Func<Task<ExecutionResult>> Run, Func<Task> Cancel);

    private readonly Dictionary<int, ExecutorCall> _inFlightCalls = [];

    private async Task CallAsync(int atomId, bool isRevert, Func<ExecutorCall> dispatch)
    {
        ExecutionResult result;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var call = dispatch();
                _inFlightCalls[atomId] = call;
                result = await call.Run();
                break;
            }
            catch (Exception exception) when (IsExecutorLost(exception) && attempt < MaxDispatchAttempts)
            {
                // The executor's silo went away: the task may or may not have run. At least once: dispatch it again
                // (same execution id) to another executor rather than failing the atom.
                LogRedispatch(exception, FlowId, _engine!.Flow.Atoms[atomId].Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << attempt)), _time);
            }
            catch (Exception exception)
            {
                result = ExecutionResult.Failed(Failure.FromException(exception));
                break;
            }
        }

        _inFlightCalls.Remove(atomId);
        Diagnostics.TaskFlowMetrics.AtomCalls.Add(1,
            new KeyValuePair<string, object?>("action", isRevert ? "revert" : "execute"),
            new KeyValuePair<string, object?>("outcome", result.IsSuccess ? "success" : "failure"));
        Post(new Outcome(atomId, isRevert, result));
    }

    private const int MaxDispatchAttempts = 10;

    /// <summary>An executor placed on a silo that advertises <paramref name="capability"/>.</summary>
    private IRoutedTaskExecutorGrain Routed(string capability) =>
        GrainFactory.GetGrain<IRoutedTaskExecutorGrain>($"{capability}/{Random.Shared.Next(_executors.Length)}");

    /// <summary>Cancels the tokens of the tasks still executing (the flow is being cancelled); their outcomes still come back.</summary>
    private void CancelRunningTasks()
    {
        foreach (var call in _inFlightCalls.Values)
        {
            _ = call.Cancel();
        }
    }

    private static bool IsExecutorLost(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or global::Orleans.Runtime.Messaging.ConnectionFailedException
            or ExecutorStoppingException;
}
