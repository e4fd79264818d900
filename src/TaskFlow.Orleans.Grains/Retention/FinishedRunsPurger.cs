using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Storage;

namespace TaskFlow.Orleans.Grains.Retention;

/// <summary>Deletes finished runs one batch at a time, for retention and bulk purges: one set-based delete in the store, then
/// the engines still active for a deleted run are made to forget it.</summary>
/// <remarks>
/// <para><b>Active engines.</b> The store's delete does not go through the runs' grains (that would be one call, and one
/// activation, per run). An engine or logbook grain that is still active for a deleted run would otherwise keep answering
/// with it from memory, so after each batch the purger asks the cluster which <see cref="IFlowGrain"/> and
/// <see cref="IStorageGrain"/> activations exist (one call fanned out to the silos) and purges the deleted runs among them
/// through their flow grain, as <c>ITaskFlowClient.PurgeAsync</c> does: the store answers "not found", so the grains drop the
/// run and deactivate. Runs whose grains are not active are never activated.</para>
/// <para>A run whose engine activates between the delete and that check reads the store after the delete and finds nothing.
/// A new run started under a deleted id, before the check, that is still running is left alone (its purge is refused).</para>
/// </remarks>
internal sealed partial class FinishedRunsPurger(ILogbookStore store, Func<IReadOnlyList<string>, Task> forgetActive)
{
    /// <summary>A purger whose deleted runs' active engines are found and purged through <paramref name="grains"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="grains">The silo's grain factory.</param>
    /// <param name="logger">Logs each engine that forgot a run.</param>
    /// <returns>The purger.</returns>
    public static FinishedRunsPurger ForCluster(ILogbookStore store, IGrainFactory grains, ILogger<FinishedRunsPurger> logger) =>
        new(store, runIds => ForgetActiveAsync(grains, logger, runIds));

    /// <summary>The store the runs are deleted from.</summary>
    public ILogbookStore Store => store;

    /// <summary>Deletes up to <paramref name="limit"/> finished runs matching <paramref name="filter"/>, oldest first, and
    /// makes the engines active for any of them forget it.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="limit">The batch size.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>What the batch deleted.</returns>
    public async Task<FinishedRunsDeleted> PurgeBatchAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        var deleted = await store.DeleteFinishedAsync(filter, limit, cancellationToken);
        if (deleted.RunIds.Count > 0)
        {
            await forgetActive(deleted.RunIds);
        }

        return deleted;
    }

    private static async Task ForgetActiveAsync(IGrainFactory grains, ILogger logger, IReadOnlyList<string> runIds)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { grains.GetGrain<IFlowGrain>("-").GetGrainId().Type, grains.GetGrain<IStorageGrain>("-").GetGrainId().Type })
        {
            foreach (var id in await management.GetActiveGrains(type))
            {
                active.Add(id.Key.ToString()!);
            }
        }

        foreach (var runId in runIds)
        {
            if (!active.Contains(runId))
            {
                continue;
            }

            try
            {
                await grains.GetGrain<IFlowGrain>(runId).PurgeAsync();
                LogForgotten(logger, runId);
            }
            catch (FlowNotFinishedException)
            {
                // A new run under the same id, started after the delete: it is not the deleted one.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The active engine of deleted run {RunId} forgot it")]
    private static partial void LogForgotten(ILogger logger, string runId);
}
