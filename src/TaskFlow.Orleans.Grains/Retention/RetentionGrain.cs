using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Retention;

/// <summary>Runs retention sweeps for the whole cluster (see <see cref="IRetentionGrain"/>).</summary>
/// <remarks>
/// <para>Driven by a reminder, so it survives the loss of its silo: the next tick activates it on another. One activation runs
/// one sweep at a time (a tick that finds a sweep still going does nothing). Should two ever overlap (an activation on two
/// silos for a moment after a partition), the store's conditional, lock-skipping deletes make each run deleted once.</para>
/// <para>The sweep runs in the grain's context but outside the reminder call, so the reminder's tick returns at once.</para>
/// </remarks>
internal sealed partial class RetentionGrain(
    FinishedRunsPurger purger,
    IOptions<TaskFlowRetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionGrain> logger) : Grain, IRetentionGrain, IRemindable
{
    /// <summary>The name of the reminder that wakes the sweeper.</summary>
    public const string ReminderName = "taskflow.retention";

    private Task? _sweep;

    public async Task<bool> EnsureScheduledAsync()
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            if (await this.GetReminder(ReminderName) is { } existing)
            {
                await this.UnregisterReminder(existing);
                LogUnscheduled();
            }

            return false;
        }

        // Registered again at each silo start, so a changed interval takes effect: the next sweep a minute from now (reminders
        // tick no sooner), then every interval.
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), settings.Interval);
        LogScheduled(settings.FinishedRunsKeptFor!.Value, settings.Interval);
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!options.Value.Enabled)
        {
            await EnsureScheduledAsync(); // retention was turned off on this silo: no more ticks
            return;
        }

        if (_sweep is { IsCompleted: false })
        {
            return;
        }

        _sweep = SweepAsync();
    }

    private async Task SweepAsync()
    {
        try
        {
            await new RetentionSweep(purger, options.Value, time, logger).RunAsync();
        }
        catch (Exception)
        {
            // Logged by the sweep; the next tick carries on where it stopped.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention scheduled: finished runs are kept for {KeptFor}, swept every {Interval}")]
    private partial void LogScheduled(TimeSpan keptFor, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention is off: finished runs are kept for ever")]
    private partial void LogUnscheduled();
}
