using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Grains.Retention;

/// <summary>When a silo starts: has the retention sweeper schedule (or unschedule) its reminder.</summary>
internal static partial class RetentionStartup
{
    /// <summary>Asks the sweeper to schedule itself; a failure is logged, not fatal (runs are then kept until a silo starts
    /// with the reminder service reachable).</summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task ScheduleAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IRetentionGrain>(0).EnsureScheduledAsync().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogScheduleFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RetentionStartup).FullName!), exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not schedule the retention of finished runs (TaskFlow:Retention); finished runs are kept until a silo starts " +
                  "and schedules it. Check that the silo has a reminder service (e.g. UseInMemoryReminderService, or the database's)")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}
