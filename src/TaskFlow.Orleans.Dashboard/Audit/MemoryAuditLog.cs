using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Dashboard.Audit;

/// <summary>The default audit log: the latest 1,000 entries in memory, each also written to the host's log.</summary>
internal sealed partial class MemoryAuditLog(ILoggerFactory loggers) : ITaskFlowAuditLog
{
    private const int Capacity = 1_000;
    private readonly ILogger _logger = loggers.CreateLogger("TaskFlow.Orleans.Dashboard.Audit");
    private readonly LinkedList<DashboardAuditEntry> _entries = new();
    private readonly Lock _lock = new();

    public ValueTask WriteAsync(DashboardAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        LogAction(_logger, entry.User, entry.RemoteAddress, entry.Action, entry.FlowId, entry.Outcome);
        lock (_lock)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DashboardAuditEntry>> ReadLatestAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<DashboardAuditEntry>>([.. _entries.Take(count)]);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Dashboard action by {User} from {RemoteAddress}: {Action} on run {FlowId}: {Outcome}")]
    private static partial void LogAction(ILogger logger, string user, string? remoteAddress, DashboardAction action, string flowId, string outcome);
}
