using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// Resuming after a silo dies: while a run is unfinished an Orleans reminder keeps waking it, so it is activated again
/// (on a live silo) without anyone calling it, even after a full cluster restart. Activation resumes the run from its last
/// durable progress. The reminder is removed once the outcome is durable.
/// </summary>
public sealed partial class FlowGrain
{
    /// <summary>The name of the reminder that wakes an unfinished run.</summary>
    public const string ResumeReminderName = "taskflow.resume";

    private Failure? _flowFailure;

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminderName)
        {
            return;
        }

        // Being activated already resumed the run (OnActivateAsync); a finished or unknown run needs no reminder.
        if (!Exists || _durableTerminal)
        {
            await UnregisterResumeReminderAsync();
        }
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

    /// <summary>Ends a stored run that cannot be resumed (e.g. a task it uses is no longer registered) in FAILURE.</summary>
    private async Task FailUnrecoverableAsync(Failure failure)
    {
        var state = _state.State;
        var from = state.FlowState;
        var now = _time.GetUtcNow();
        if (!FlowTransitions.AllowedTransitions.Contains((from, FlowState.Failure)))
        {
            // PENDING cannot go straight to FAILURE: it runs (to resume) and fails, as the table requires.
            FlowTransitions.Check(from, FlowState.Running);
            FlowTransitions.Check(FlowState.Running, FlowState.Failure);
        }

        state.FlowState = FlowState.Failure;
        state.FlowFailure = failure;
        state.FinishedAt = now;
        await WriteAsync(_state, "progress");
        _flowState = FlowState.Failure;
        _flowFailure = failure;
        _finishedFlowAt = now;
        _durableTerminal = true;
        Publish(new FlowEvent
        {
            Sequence = 0,
            Timestamp = now,
            Name = _definition.State.Definition!.Name,
            FlowState = FlowState.Failure,
            Failure = failure,
        });
        _completion?.TrySetResult();
        await UnregisterResumeReminderAsync();
    }
}
