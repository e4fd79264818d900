using Orleans.Concurrency;
using Orleans.Placement;
using TaskFlow.Orleans.Execution;
// Orleans.Runtime (an implicit global using of the Orleans SDK) has a TaskRequest too.
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>The executor grain: runs registered tasks for the engine and returns outcomes as data.</summary>
/// <remarks>
/// <para>Stateless and <c>[Reentrant]</c>, so one activation runs many task calls at once. Placed at random
/// (<c>[RandomPlacement]</c>) over a bounded key space so calls spread over every silo; a <c>[StatelessWorker]</c>
/// would always run on the caller's silo (PLATFORM.md §2).</para>
/// <para>The work is done by <see cref="TaskExecutor"/>; this class only adds where the call ran.</para>
/// </remarks>
/// <param name="executor">The silo's executor.</param>
[Reentrant]
[RandomPlacement]
internal sealed class TaskExecutorGrain(TaskExecutor executor) : Grain, ITaskExecutorGrain
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
