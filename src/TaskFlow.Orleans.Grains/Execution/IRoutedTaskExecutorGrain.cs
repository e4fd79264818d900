// Declared in the Grains assembly, beside the grains that implement it (Orleans generates internal grain interfaces
// within one assembly); the namespace stays the one of its request and result records.
namespace TaskFlow.Orleans.Execution;

/// <summary>
/// An executor for tasks that need a capability: keyed <c>"capability/n"</c>, placed only on silos that advertise the
/// capability. Otherwise the same contract as <see cref="ITaskExecutorGrain"/>.
/// </summary>
/// <remarks>Only engines call it (<see cref="Grains.SiloOnlyAttribute"/>): an external client may not run tasks.</remarks>
[Grains.SiloOnly]
[Alias("taskflow.IRoutedTaskExecutorGrain")]
internal interface IRoutedTaskExecutorGrain : IGrainWithStringKey
{
    /// <summary>Runs Execute.</summary>
    /// <param name="request">The task, its execution id and arguments.</param>
    /// <returns>The value, or the failure.</returns>
    [Alias("execute"), ResponseTimeout("7.00:00:00")]
    Task<ExecutionResult> ExecuteAsync(TaskRequest request);

    /// <summary>Runs Revert.</summary>
    /// <param name="request">The task, its arguments, the execute outcome and the flow's failures.</param>
    /// <returns>Success, or the failure.</returns>
    [Alias("revert"), ResponseTimeout("7.00:00:00")]
    Task<ExecutionResult> RevertAsync(RevertRequest request);

    /// <summary>Cancels the CancellationToken of an execution running here (a flow being cancelled); unknown ids are ignored.</summary>
    /// <param name="executionId">The execution to cancel.</param>
    /// <returns>A completed task (the call is one-way).</returns>
    [Alias("cancel"), global::Orleans.Concurrency.OneWay]
    Task CancelAsync(string executionId);
}
