using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// The one loop that changes the engine and the logbook: feeds every outcome that arrived to the engine, records what changed
/// in one call to the run's logbook (the outcomes, and the RUNNING of the successors they released, together), and only then
/// tells watchers and dispatches. Outcomes that arrive during a write go into the next one.
/// </summary>
internal sealed partial class FlowGrain
{
    private const int MaxRecordAttempts = 5;
    private List<Outcome> _inbox = [];
    private readonly List<int> _pendingExecutes = [];
    private readonly List<int> _pendingReverts = [];
    private readonly List<FlowEvent> _pendingEvents = [];
    private bool _pumping;
    private bool _writeRequested;
    private Task? _recording;
    private long _sequence;

    /// <summary>An executor's (or a local retry controller's) answer, waiting to be fed to the engine.</summary>
    private readonly record struct Outcome(int AtomId, bool IsRevert, ExecutionResult Result, IReadOnlyDictionary<string, object?>? RetryArguments = null);

    private void Post(Outcome outcome)
    {
        if (_deactivating)
        {
            // This activation is going away: the next one dispatches again what the logbook records as in flight.
            return;
        }

        _inbox.Add(outcome);
        EnsurePump();
    }

    private bool HasWork => _inbox.Count > 0 || _pendingExecutes.Count > 0 || _pendingReverts.Count > 0 || _pendingEvents.Count > 0 || _writeRequested;

    private void EnsurePump()
    {
        if (!_pumping && _engine is not null && HasWork)
        {
            _pumping = true;
            _ = PumpAsync();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (HasWork && !_deactivating)
            {
                var engine = _engine!;
                var batch = _inbox;
                _inbox = [];
                foreach (var arrived in batch)
                {
                    var outcome = Admit(arrived, out var payloadBytes);
                    var step = Feed(engine, outcome);
                    if (step.IsEmpty)
                    {
                        continue; // a duplicate answer for an atom that is no longer in flight
                    }

                    _run.PayloadBytes += payloadBytes;

                    _tracker!.OnOutcome(outcome.AtomId, outcome.IsRevert, outcome.Result);
                    ApplyStep(step, outcome);
                }

                _writeRequested = false;
                var (executes, reverts) = TakeCommands();
                var changes = _tracker!.TakeChanges(engine, CaptureRun());
                if (changes.Atoms.IsEmpty && _pendingEvents.Count == 0 && executes.Length == 0 && reverts.Length == 0)
                {
                    continue;
                }

                var durable = Durable || FlowStatus.IsTerminal(engine.State);
                var recording = RecordAsync(changes, executes, reverts, durable);
                _recording = recording;
                var receipt = await recording;
                _sequence = receipt.Sequence;
                if (_deactivating)
                {
                    return; // the next activation dispatches these from the logbook
                }

                PublishRecorded();
                Dispatch(executes, reverts, receipt.Prepared);
            }
        }
        catch (Exception exception)
        {
            // The logbook could not record, or disagrees with this engine: stop here. The logbook holds everything that was
            // acknowledged; the next activation (the reminder, or the next call) rebuilds from it.
            LogPumpFailed(exception, FlowId);
            FailRecordWaiters(exception);
            _deactivating = true;
            DeactivateOnIdle();
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>One record call, retried as it is while the logbook could not answer (its silo died, the database failed):
    /// the changes are whole records, so recording them twice is harmless, and a conflict says they already were.</summary>
    private async Task<RecordReceipt> RecordAsync(RunChanges changes, int[] executes, int[] reverts, bool durable)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _storage.RecordAsync(_sequence, changes, executes, reverts, durable);
            }
            catch (Exception exception) when (exception is not LogbookConflictException and not FlowNotFoundException && attempt < MaxRecordAttempts)
            {
                LogCommitFailed(exception, FlowId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), _time);
            }
        }
    }

    private (int[] Executes, int[] Reverts) TakeCommands()
    {
        var executes = _pendingExecutes.ToArray();
        var reverts = _pendingReverts.ToArray();
        _pendingExecutes.Clear();
        _pendingReverts.Clear();
        return (executes, reverts);
    }

    /// <summary>The run record as it stands, with the event numbering the pending events will reach once published.</summary>
    private RunRecord CaptureRun()
    {
        var engine = _engine!;
        _run.State = engine.State;
        _run.Reverting = engine.IsReverting;
        _run.RevertFailed = engine.IsHalted;
        _run.Cancellation = engine.CancellationFailure;
        _run.ResumeAfterSuspend = engine.ResumesAfterSuspend;
        _run.EngineFailures = [.. engine.EngineFailures];
        _run.EventSequence = _events.Sequence + _pendingEvents.Count;
        _run.UpdatedAt = _time.GetUtcNow();
        _run.Silo = RuntimeIdentity;
        return _run.Clone();
    }

    /// <summary>Feeds one outcome to the engine, with its result or Failure as data.</summary>
    private static EngineStep Feed(FlowEngine engine, Outcome outcome)
    {
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

    /// <summary>Notes the engine's state changes (timings, progress edges, the events to publish once recorded) and queues its commands.</summary>
    private void ApplyStep(EngineStep step, Outcome? outcome)
    {
        TraceStep(step);
        var now = _time.GetUtcNow();
        var flow = _engine!.Flow;
        foreach (var change in step.Changes)
        {
            if (change.IsFlow)
            {
                if (FlowStatus.IsTerminal(change.FlowTo) && change.FlowTo != FlowState.Suspended)
                {
                    _run.FinishedAt = now;
                    StopKeepAlive();
                    LogFinished(FlowId, change.FlowTo);
                }
                else if (change.FlowTo == FlowState.Suspended)
                {
                    StopKeepAlive();
                }

                _pendingEvents.Add(new FlowEvent
                {
                    Sequence = 0, Timestamp = now, Name = flow.Name, FlowState = change.FlowTo, PreviousFlowState = (FlowState)change.From,
                });
                continue;
            }

            var atom = change.AtomId;
            var edge = _tracker!.OnStateChanged(atom, change.AtomTo, now, _engine.GetAttempt(atom));
            var mine = outcome is { } o && o.AtomId == atom && change.AtomTo is AtomState.Success or AtomState.Failure or AtomState.RevertFailure;
            _pendingEvents.Add(new FlowEvent
            {
                Sequence = 0,
                Timestamp = now,
                Name = flow.Atoms[atom].Name,
                IsRetry = flow.Atoms[atom].IsRetry,
                AtomState = change.AtomTo,
                PreviousAtomState = (AtomState)change.From,
                Result = mine && change.AtomTo == AtomState.Success ? outcome!.Value.Result.Value : null,
                Failure = mine ? outcome!.Value.Result.Failure : null,
            });
            if (edge is { } progress && !flow.Atoms[atom].IsRetry)
            {
                _pendingEvents.Add(new FlowEvent { Sequence = 0, Timestamp = now, Name = flow.Atoms[atom].Name, Progress = progress });
            }
        }

        // Retry controllers are prepared by storage like tasks, but run here, in the engine's process (as in TaskFlow).
        _pendingExecutes.AddRange(step.Execute);
        _pendingExecutes.AddRange(step.ExecuteRetries);
        _pendingReverts.AddRange(step.Revert);
        _pendingReverts.AddRange(step.RevertRetries);
    }

    private void Dispatch(int[] executes, int[] reverts, PreparedCalls prepared)
    {
        DispatchExecutes(executes, prepared, 0, executes.Length);
        DispatchReverts(reverts, prepared);
    }

    /// <summary>Sends the executes <paramref name="from"/> to <paramref name="to"/> (exclusive) of a prepared batch.</summary>
    private void DispatchExecutes(int[] executes, PreparedCalls prepared, int from, int to)
    {
        using var traced = EnterRunSpan();
        var engine = _engine!;
        var flow = engine.Flow;
        for (var i = from; i < to; i++)
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
                Post(new Outcome(atomId, false, RunController(() => retry.Controller.Execute(engine.GetRetryHistory(atomId), arguments)), arguments));
                continue;
            }

            _dispatcher.Execute(atomId, atom.Capability, new TaskRequest
            {
                FlowId = FlowId,
                AtomName = atom.Name,
                TaskName = atom.TaskName,
                ExecutionId = engine.GetExecutionId(FlowId, atomId),
                Arguments = prepared.Executes[i],
                Timeout = atom.Timeout,
            });
        }
    }

    private void DispatchReverts(int[] reverts, PreparedCalls prepared)
    {
        using var traced = EnterRunSpan();
        var engine = _engine!;
        var flow = engine.Flow;
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
                    retry.Controller.Revert(engine.GetRetryHistory(atomId), arguments);
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

            _dispatcher.Revert(atomId, atom.Capability, new RevertRequest
            {
                FlowId = FlowId,
                AtomName = atom.Name,
                TaskName = atom.TaskName,
                ExecutionId = engine.GetExecutionId(FlowId, atomId),
                Arguments = revert.Arguments,
                Result = revert.Result,
                ExecuteFailure = revert.ExecuteFailure,
                FlowFailures = revert.FlowFailures,
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
}
