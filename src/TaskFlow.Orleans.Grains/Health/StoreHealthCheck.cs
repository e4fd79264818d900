using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Health;

/// <summary>Readiness, part two: the logbook store answers a cheap read (one run looked up by its key, a run that does not
/// exist) within <see cref="TaskFlowHealthCheckOptions.Timeout"/>. The check returns at the timeout even when the store's
/// call does not, so the health endpoint never hangs on a database.</summary>
internal sealed class StoreHealthCheck(IServiceProvider services, IOptions<TaskFlowHealthCheckOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>The run id read: not a run anyone starts (it is read, never written).</summary>
    internal const string ProbeRunId = "taskflow.health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var store = services.GetService<ILogbookStore>();
        if (store is null)
        {
            return HealthCheckResult.Unhealthy("TaskFlow has no logbook store: add AddTaskFlowMemoryStorage, AddTaskFlowSqlite or AddTaskFlowPostgreSql to the silo.");
        }

        var timeout = options.Value.Timeout;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await store.ReadAsync(ProbeRunId, cancel.Token).WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The logbook store answers.");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The logbook store did not answer within {timeout}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store's own message names the database and the fix; its exception (driver types, stack) stays out of the report.
            return HealthCheckResult.Unhealthy($"The logbook store failed: {exception.Message}");
        }
        finally
        {
            await cancel.CancelAsync().ConfigureAwait(false); // a read still running after the timeout is told to stop
        }
    }
}
