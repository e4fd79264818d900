using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// Group commit: one write in flight per flow; every change made meanwhile goes into the next write. A commit first
/// flushes storage (so persisted progress never refers to a result that is not durable), then writes the flow's progress.
/// </summary>
public sealed partial class FlowGrain
{
    private const int MaxCommitAttempts = 5;
    private long _version;
    private long _durableVersion;
    private long _terminalVersion = long.MaxValue;
    private bool _unackedSave;
    private long? _savedCount;   // how many saves storage reported holding after this activation's last save
    private bool _storageLost;   // the engine ran ahead of storage: never persist this activation's progress
    private bool _committing;
    private Task? _commitLoop;
    private readonly List<(long Version, TaskCompletionSource Done)> _durableWaiters = [];

    private long? _dirtySince;
    private bool _commitTimerArmed;

    /// <summary>
    /// Starts a commit when one is due, none is in flight, and storage has every outcome the engine applied: due when
    /// half the window is waiting, the oldest unpersisted change is <see cref="Options.TaskFlowOptions.MaxCommitDelay"/> old,
    /// the outcome is reached, or someone waits for durability. Otherwise arms a timer for the delay.
    /// </summary>
    private void RequestCommit()
    {
        if (_committing || _unackedSave || _version == _durableVersion)
        {
            return;
        }

        if (CommitDue(out var age))
        {
            _committing = true;
            _commitLoop = CommitLoopAsync();
        }
        else if (!_commitTimerArmed)
        {
            _commitTimerArmed = true;
            _ = CommitAfterDelayAsync(_options.MaxCommitDelay - age);
        }
    }

    private bool CommitDue(out TimeSpan age)
    {
        age = _dirtySince is { } since ? _time.GetElapsedTime(since) : TimeSpan.Zero;
        return _durableWaiters.Count > 0
            || _terminalVersion <= _version
            || (_version - _durableVersion) * 2 >= _options.MaxUnpersistedTransitions
            || age >= _options.MaxCommitDelay;
    }

    private async Task CommitAfterDelayAsync(TimeSpan delay)
    {
        await Task.Delay(delay, _time);
        _commitTimerArmed = false;
        RequestCommit();
    }

    /// <summary>Notes when the oldest unpersisted change was made.</summary>
    private void MarkDirty() => _dirtySince ??= _time.GetTimestamp();

    private async Task CommitLoopAsync()
    {
        var failures = 0;
        try
        {
            while (_version != _durableVersion && !_unackedSave && (failures > 0 || CommitDue(out _)))
            {
                try
                {
                    await CommitNowAsync();
                    failures = 0;
                }
                catch (Exception exception) when (_storageLost)
                {
                    // Retrying cannot bring lost results back: resume from the durable progress on the next activation.
                    LogCommitFailed(exception, FlowId, failures + 1);
                    DeactivateOnIdle();
                    return;
                }
                catch (Exception exception)
                {
                    failures++;
                    LogCommitFailed(exception, FlowId, failures);
                    if (failures >= MaxCommitAttempts)
                    {
                        // Bounded: give up this activation; the last durable state is consistent and is resumed from.
                        DeactivateOnIdle();
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << failures)), _time);
                }
            }
        }
        finally
        {
            _committing = false;
        }

        // Changes made during the last write that are not yet due get the timer.
        RequestCommit();
    }

    /// <summary>Persists the current progress; the caller guarantees no other commit is in flight.</summary>
    private async Task CommitNowAsync()
    {
        var version = _version;
        var snapshot = CaptureState();
        _dirtySince = null;
        var saved = _savedCount;
        var durable = await _storage.FlushAsync();
        if (saved is { } expected && durable < expected)
        {
            CheckSaveCount(durable, expected);
        }

        _state.State = snapshot;
        await WriteAsync(_state, "progress");
        _durableVersion = Math.Max(_durableVersion, version);
        OnDurable();
    }

    private async Task WriteAsync<T>(IPersistentState<T> state, string what)
    {
        try
        {
            await state.WriteStateAsync();
            Diagnostics.TaskFlowMetrics.Wrote(what);
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Could not write the {what} of flow '{FlowId}': {exception.GetType().Name}: {exception.Message}. " +
                "Check that the grain storage's database is reachable; the flow resumes from its last durable state.");
        }
    }

    private FlowGrainState CaptureState()
    {
        var memento = _engine!.Capture();
        return new FlowGrainState
        {
            FlowState = memento.FlowState,
            FlowFailure = _flowFailure,
            NodeStates = Array.ConvertAll(memento.NodeStates, s => (byte)s),
            Intentions = Array.ConvertAll(memento.Intentions, i => (byte)i),
            Attempts = memento.Attempts,
            Reverting = memento.Reverting,
            RevertFailed = memento.RevertFailed,
            RetryHistories = memento.RetryHistories?.ToDictionary(),
            RetryArguments = memento.RetryArguments?.ToDictionary(p => p.Key, p => new Dictionary<string, object?>(p.Value)),
            Failures = memento.Failures?.ToDictionary(),
            DeciderResults = memento.DeciderResults?.ToDictionary(),
            EngineFailures = memento.EngineFailures?.ToArray(),
            Cancellation = memento.Cancellation,
            ResumeAfterSuspend = memento.ResumeAfterSuspend,
            FinishedAt = _finishedFlowAt,
            StartedAt = (long[])_startedAt.Clone(),
            FinishedAtoms = (long[])_finishedAt.Clone(),
            RanOn = (string?[])_ranOn.Clone(),
            Progress = (double[])_progress.Clone(),
            ProgressDetails = (string?[])_progressDetails.Clone(),
            EventSequence = _eventSequence,
        };
    }

    /// <summary>
    /// Fails when storage holds fewer saves than this engine made: the storage activation's silo died before it flushed them,
    /// and a new activation answered from the durable results. This engine's progress then refers to results that exist
    /// nowhere; persisting it (or preparing arguments from it) would make later atoms fail for missing arguments. The flow
    /// instead stops and resumes from its durable progress, re-running the atoms whose results were lost (at least once).
    /// </summary>
    private void CheckSaveCount(long actual, long expected)
    {
        if (actual != expected)
        {
            _storageLost = true;
            throw new FlowStorageException(
                $"Flow '{FlowId}': storage holds {actual} saves where {expected} were made; results saved before a storage " +
                "activation died unflushed were lost. The flow resumes from its durable progress.");
        }
    }

    private void OnDurable()
    {
        for (var i = _durableWaiters.Count - 1; i >= 0; i--)
        {
            if (_durableWaiters[i].Version <= _durableVersion)
            {
                _durableWaiters[i].Done.TrySetResult();
                _durableWaiters.RemoveAt(i);
            }
        }

        if (!_durableTerminal && _terminalVersion <= _durableVersion)
        {
            // The outcome is reported only now that it is durable.
            _durableTerminal = true;
            Publish(new Snapshots.FlowEvent
            {
                Sequence = 0,
                Timestamp = _finishedFlowAt ?? _time.GetUtcNow(),
                Name = _engine!.Flow.Name,
                FlowState = _flowState,
            });
            _completion?.TrySetResult();
            Diagnostics.TaskFlowMetrics.FlowsFinished.Add(1, new KeyValuePair<string, object?>("state", StateNames.Of(_flowState)));
            _ = UnregisterResumeReminderAsync();
        }
    }

    private Task WaitDurableAsync(long version)
    {
        if (version <= _durableVersion)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _durableWaiters.Add((version, done));
        RequestCommit();
        return done.Task;
    }
}
