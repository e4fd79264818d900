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
    private bool _committing;
    private Task? _commitLoop;
    private readonly List<(long Version, TaskCompletionSource Done)> _durableWaiters = [];

    /// <summary>Starts a commit if there are unpersisted changes, none is in flight, and storage has every outcome the engine applied.</summary>
    private void RequestCommit()
    {
        if (!_committing && _version != _durableVersion && !_unackedSave)
        {
            _committing = true;
            _commitLoop = CommitLoopAsync();
        }
    }

    private async Task CommitLoopAsync()
    {
        var failures = 0;
        try
        {
            while (_version != _durableVersion && !_unackedSave)
            {
                try
                {
                    await CommitNowAsync();
                    failures = 0;
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
    }

    /// <summary>Persists the current progress; the caller guarantees no other commit is in flight.</summary>
    private async Task CommitNowAsync()
    {
        var version = _version;
        var snapshot = CaptureState();
        await _storage.FlushAsync();
        _state.State = snapshot;
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Could not write the progress of flow '{FlowId}': {exception.GetType().Name}: {exception.Message}. " +
                "Check that the grain storage's database is reachable; the flow resumes from its last durable state.");
        }

        _durableVersion = Math.Max(_durableVersion, version);
        OnDurable();
    }

    private FlowGrainState CaptureState()
    {
        var previous = _state.State;
        var memento = _engine!.Capture();
        return new FlowGrainState
        {
            Definition = previous.Definition,
            FactoryName = previous.FactoryName,
            InputNames = previous.InputNames,
            CreatedAt = previous.CreatedAt,
            FlowState = memento.FlowState,
            NodeStates = memento.NodeStates,
            Intentions = memento.Intentions,
            Attempts = memento.Attempts,
            Reverting = memento.Reverting,
            RevertFailed = memento.RevertFailed,
            FinishedAt = _finishedFlowAt,
            StartedAt = (long[])_startedAt.Clone(),
            FinishedAtoms = (long[])_finishedAt.Clone(),
            RanOn = (string?[])_ranOn.Clone(),
            EventSequence = _eventSequence,
        };
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
