namespace TaskFlow.Orleans.Dashboard.Audit;

/// <summary>Where the dashboard records the actions operators take. The default keeps the latest entries in memory and writes
/// each to the log (category <c>TaskFlow.Orleans.Dashboard.Audit</c>); register another implementation to keep them elsewhere.</summary>
public interface ITaskFlowAuditLog
{
    /// <summary>Records an action.</summary>
    /// <param name="entry">The action and its outcome.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when it is recorded.</returns>
    ValueTask WriteAsync(DashboardAuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The latest entries, newest first.</summary>
    /// <param name="count">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    ValueTask<IReadOnlyList<DashboardAuditEntry>> ReadLatestAsync(int count, CancellationToken cancellationToken = default);
}
