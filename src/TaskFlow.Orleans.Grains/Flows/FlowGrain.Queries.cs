using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Queries: status, snapshot, waiting for the outcome and reading events. All interleave with the run, and all show
/// what is recorded: a change is reported only once the logbook holds it.</summary>
internal sealed partial class FlowGrain
{
    private TaskCompletionSource? _completion;
    private FlowState _reportedState;

    private readonly List<(long Count, TaskCompletionSource Done)> _recordWaiters = [];
    private long _published;

    private bool ReportedFinished => FlowStatus.IsTerminal(_reportedState);

    /// <summary>Completes once every event pending now is recorded and published.</summary>
    private Task WaitRecordedAsync()
    {
        if (_pendingEvents.Count == 0)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _recordWaiters.Add((_published + _pendingEvents.Count, done));
        return done.Task;
    }

    /// <summary>The pump stopped: requests waiting for their changes to be recorded get the reason.</summary>
    private void FailRecordWaiters(Exception exception)
    {
        var failure = exception as TaskFlowException ?? new FlowStorageException(
            $"Flow '{FlowId}' could not record the change: {exception.GetType().Name}: {exception.Message}. It carries on from its logbook.");
        foreach (var (_, done) in _recordWaiters)
        {
            done.TrySetException(failure);
        }

        _recordWaiters.Clear();
    }

    /// <inheritdoc />
    public Task<FlowStatus> GetStatusAsync()
    {
        EnsureExists();
        return Task.FromResult(Status());
    }

    /// <inheritdoc />
    public Task<FlowSnapshot> GetState() => GetSnapshotAsync();

    /// <inheritdoc />
    public async Task<FlowSnapshot> GetSnapshotAsync()
    {
        EnsureExists();
        return WithLiveProgress(await _storage.GetSnapshotAsync());
    }

    /// <inheritdoc />
    public async Task<FlowSnapshot> GetSnapshotPageAsync(int skip, int take)
    {
        if (skip < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"A snapshot page of flow '{FlowId}' starts at atom 0 or later; skip was {skip}.");
        }

        if (take is < 1 or > FlowSnapshot.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take,
                $"A snapshot page of flow '{FlowId}' holds from 1 to {FlowSnapshot.MaxPageSize} atoms; take was {take}. Read a large run page by page.");
        }

        EnsureExists();
        return WithLiveProgress(await _storage.GetSnapshotPageAsync(skip, take));
    }

    private FlowSnapshot WithLiveProgress(FlowSnapshot snapshot)
    {
        if (_tracker is not { } tracker || _engine is not { } engine)
        {
            return _mask.Apply(snapshot);
        }

        // Progress is published as it is reported and stored with the next write: show the latest.
        var atoms = snapshot.Atoms.Select(atom => atom.State == AtomState.Running && atom.Id < engine.Flow.AtomCount
            ? atom with { Progress = tracker.Progress(atom.Id).Progress, ProgressDetails = tracker.Progress(atom.Id).Details }
            : atom);
        return _mask.Apply(snapshot with { Atoms = [.. atoms] });
    }

    /// <inheritdoc />
    public async Task<FlowStatus> WaitForCompletionAsync(TimeSpan maxWait)
    {
        EnsureExists();
        if (!ReportedFinished)
        {
            _completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var timeout = new CancellationTokenSource();
            var finished = _completion.Task;
            if (await Task.WhenAny(finished, Task.Delay(Clamp(maxWait), _time, timeout.Token)) == finished)
            {
                await timeout.CancelAsync();
            }
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FlowEventBatch> GetEventsAsync(long afterSequence, TimeSpan maxWait)
    {
        EnsureExists();
        var (events, missed) = await _events.ReadAsync(afterSequence, Clamp(maxWait), ReportedFinished);
        return new FlowEventBatch { Events = events, MissedEvents = missed, Status = Status() };
    }

    /// <summary>Tells watchers and listeners what the logbook now holds, in order.</summary>
    private void PublishRecorded()
    {
        foreach (var pending in _pendingEvents)
        {
            var published = _events.Publish(Mask(pending));
            if (_listeners.Length > 0)
            {
                NotifyChange(published);
            }

            if (published.FlowState is { } state)
            {
                _reportedState = state;
                if (FlowStatus.IsTerminal(state))
                {
                    OnFinished(state);
                }
            }
        }

        _published += _pendingEvents.Count;
        _pendingEvents.Clear();
        for (var i = _recordWaiters.Count - 1; i >= 0; i--)
        {
            if (_recordWaiters[i].Count <= _published)
            {
                _recordWaiters[i].Done.TrySetResult();
                _recordWaiters.RemoveAt(i);
            }
        }
    }

    private void OnFinished(FlowState state)
    {
        _completion?.TrySetResult();
        _completion = null;
        _events.Wake();
        if (state != FlowState.Suspended)
        {
            Diagnostics.TaskFlowMetrics.FlowsFinished.Add(1, new KeyValuePair<string, object?>("state", StateNames.Of(state)));
        }

        _ = UnregisterResumeReminderAsync();
    }

    private FlowStatus Status() => new(FlowId, _header?.Definition.Name ?? "", _reportedState);

    private void EnsureExists()
    {
        if (!Exists)
        {
            throw new FlowNotFoundException(FlowId);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : wait;
}
