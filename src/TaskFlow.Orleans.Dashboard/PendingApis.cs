// TEMPORARY: stands in for the client APIs being added on other branches (ops, graph); deleted when they are merged.
using TaskFlow.Orleans.Client;

namespace TaskFlow.Orleans.Dashboard;

internal static class PendingApis
{
    public static Task<FlowHandle> RerunAsync(this ITaskFlowClient client, string flowId, StartFlowOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public static Task<bool> PurgeAsync(this ITaskFlowClient client, string flowId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
