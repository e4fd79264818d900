using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Suspend, resume, cancel and progress reports from clients and tasks, carried out by the engine with TaskFlow's
/// flow transitions; the reminder that wakes an unfinished run after its silo dies; ending a run that cannot go on.</summary>
internal sealed partial class FlowGrain
{
    private bool _progressWriteArmed;

    /// <inheritdoc />
    public async Task<FlowStatus> SuspendAsync()
    {
        EnsureExists();
        if (_engine is { } engine && !ReportedFinished)
        {
            await Control(engine.Suspend());
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FlowStatus> ResumeAsync()
    {
        EnsureExists();
        if (_engine is { } engine && _reportedState == FlowState.Suspended && engine.State == FlowState.Suspended)
        {
            await ReopenAsync();
            await Control(engine.Resume());
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FlowStatus> CancelAsync(string? reason)
    {
        EnsureExists();
        if (_engine is not { } engine || (ReportedFinished && _reportedState != FlowState.Suspended) || FlowStatus.IsTerminal(engine.State) && engine.State != FlowState.Suspended)
        {
            return Status(); // finished: nothing to cancel
        }

        if (engine.State == FlowState.Suspended)
        {
            await ReopenAsync();
        }

        var failure = Failure.Create("TaskFlow.Orleans.FlowCancelledException",
            string.IsNullOrWhiteSpace(reason) ? "The flow was cancelled by a client request." : reason);
        var recorded = Control(engine.Cancel(failure));
        _dispatcher.CancelAll(); // their tokens are cancelled; they end (failed or not) and are reverted with the rest
        await recorded;
        return Status();
    }

    /// <inheritdoc />
    /// <remarks>The purge goes through this grain (not straight to the store) so that the engine is the one to forget the run:
    /// it checks the run is finished, has the logbook grain delete it (the store refuses a run it does not hold as finished),
    /// then drops what it knows and deactivates. Queries that interleave after that answer "no such run".</remarks>
    public async Task<bool> PurgeAsync()
    {
        if (!Exists)
        {
            return false;
        }

        if (!FlowNotFinishedException.IsFinished(_reportedState))
        {
            throw new FlowNotFinishedException(FlowId, _reportedState);
        }

        var purged = await _storage.PurgeAsync();
        LogPurged(FlowId, purged);
        _header = null;
        _engine = null;
        _tracker = null;
        _atomIds = null;
        _deactivating = true;
        StopKeepAlive();
        _completion?.TrySetResult();
        _events.Wake();
        await UnregisterResumeReminderAsync(); // a finished run has none left, unless removing it once failed
        DeactivateOnIdle();
        return purged;
    }

    /// <inheritdoc />
    public Task ReportProgressAsync(string atomName, string executionId, long sequence, double progress, string? details)
    {
        if (_engine is not { } engine || _tracker is not { } tracker || !AtomIds(engine).TryGetValue(atomName, out var atom))
        {
            return Task.CompletedTask;
        }

        var running = engine.GetState(atom) == AtomState.Running && engine.GetExecutionId(FlowId, atom) == executionId;
        if (!tracker.TryReportProgress(atom, running, sequence, progress, details))
        {
            // A late report of an attempt that is over, or one overtaken by a newer report.
            return Task.CompletedTask;
        }

        var (value, text) = tracker.Progress(atom);
        var published = _events.Publish(Mask(new FlowEvent { Sequence = 0, Timestamp = _time.GetUtcNow(), Name = atomName, Progress = value, ProgressDetails = text }));
        if (_listeners.Length > 0)
        {
            NotifyChange(published);
        }

        ScheduleProgressWrite();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminderName)
        {
            return;
        }

        // Being activated already resumed the run (OnActivateAsync); a finished or unknown run needs no reminder.
        if (!Exists || ReportedFinished)
        {
            await UnregisterResumeReminderAsync();
        }
    }

    /// <summary>Progress is not an outcome: it is stored with the run's next write, or on its own after a short delay.</summary>
    private void ScheduleProgressWrite()
    {
        if (_progressWriteArmed)
        {
            return;
        }

        _progressWriteArmed = true;
        _ = WriteProgressLaterAsync();

        async Task WriteProgressLaterAsync()
        {
            await Task.Delay(_options.ProgressWriteDelay, _time);
            _progressWriteArmed = false;
            if (_tracker is { HasChanges: true })
            {
                _writeRequested = true;
                EnsurePump();
            }
        }
    }

    /// <summary>A suspended run becomes unfinished again: it is woken by its reminder and kept active until it ends.</summary>
    private async Task ReopenAsync()
    {
        await RegisterResumeReminderAsync();
        _run.FinishedAt = null;
        StartKeepAlive();
    }

    /// <summary>Applies a client's request; completes once what it changed is recorded (and so reported).</summary>
    private Task Control(EngineStep step)
    {
        ApplyStep(step, outcome: null);
        var recorded = WaitRecordedAsync();
        EnsurePump();
        return recorded;
    }

    /// <summary>Ends a stored run that cannot be resumed (e.g. a task it uses is no longer registered) in FAILURE.</summary>
    private async Task FailUnrecoverableAsync(Failure failure)
    {
        var now = _time.GetUtcNow();
        foreach (var change in FlowEngine.FailUnrecoverable(_run.State))
        {
            _pendingEvents.Add(new FlowEvent
            {
                Sequence = 0,
                Timestamp = now,
                Name = _header!.Definition.Name,
                FlowState = change.FlowTo,
                PreviousFlowState = (FlowState)change.From,
                Failure = change.FlowTo == FlowState.Failure ? failure : null,
            });
        }

        _run.State = FlowState.Failure;
        _run.FlowFailure = failure;
        _run.FinishedAt = now;
        _run.UpdatedAt = now;
        _run.EventSequence = _events.Sequence + _pendingEvents.Count;
        var receipt = await _storage.RecordAsync(_sequence, new RunChanges { Run = _run.Clone() }, [], [], durable: true);
        _sequence = receipt.Sequence;
        PublishRecorded();
    }

    private async Task RegisterResumeReminderAsync()
    {
        if (!_options.ResumeWithReminders)
        {
            return;
        }

        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminderName, _options.ResumeCheckPeriod, _options.ResumeCheckPeriod);
        }
        catch (Exception exception) when (exception is not TaskFlowException)
        {
            throw new FlowStorageException(
                $"Flow '{FlowId}' could not register its resume reminder ({exception.GetType().Name}: {exception.Message}). " +
                "TaskFlow resumes flows after a silo dies with Orleans reminders: add a reminder service to the silo " +
                "(UseInMemoryReminderService() for a single silo, ADO.NET reminders for a cluster), or set " +
                "TaskFlowOptions.ResumeWithReminders = false to run without automatic resume. Nothing was stored.");
        }
    }

    private async Task UnregisterResumeReminderAsync()
    {
        if (!_options.ResumeWithReminders)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(ResumeReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception)
        {
            // Harmless: the next tick finds the run finished and tries again.
            LogReminderCleanupFailed(exception, FlowId);
        }
    }
}
