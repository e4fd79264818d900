using Orleans.Concurrency;
using TaskFlow.Orleans.Execution;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>The executor for tasks that require a capability: placed only on silos that advertise it.</summary>
/// <param name="executor">The silo's executor.</param>
[Reentrant]
[CapabilityPlacement]
internal sealed class RoutedTaskExecutorGrain(TaskExecutor executor) : Grain, IRoutedTaskExecutorGrain
{
    /// <inheritdoc />
    public Task<ExecutionResult> ExecuteAsync(TaskRequest request) => executor.ExecuteAsync(request, RuntimeIdentity);

    /// <inheritdoc />
    public Task<ExecutionResult> RevertAsync(RevertRequest request) => executor.RevertAsync(request, RuntimeIdentity);

    /// <inheritdoc />
    public Task CancelAsync(string executionId)
    {
        executor.Cancel(executionId);
        return Task.CompletedTask;
    }
}
