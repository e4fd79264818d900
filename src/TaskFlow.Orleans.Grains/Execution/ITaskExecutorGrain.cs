// Declared in the Grains assembly, beside the grains that implement it (Orleans generates internal grain interfaces
// within one assembly); the namespace stays the one of its request and result records.
namespace TaskFlow.Orleans.Execution;

/// <summary>
/// Runs a registered task's Execute or Revert with prepared arguments and returns the outcome as data.
/// Holds no state and changes none; the engine owns every state change.
/// </summary>
/// <remarks>Calls may take as long as the task does: their response timeout is seven days rather than Orleans' default 30 s,
/// so a long task is not failed by the runtime, and the engine never awaits one inside a request, so its flow stays
/// answerable. If the executor's silo dies, the call fails at once and the engine dispatches the atom again.
/// Keyed by a small integer: the engine spreads calls over a bounded key space so activations are
/// reused and placed across silos (a <c>[StatelessWorker]</c> would always run on the caller's silo).
/// Only engines call it (<see cref="Grains.SiloOnlyAttribute"/>): an external client may not run tasks.</remarks>
[Grains.SiloOnly]
[Alias("taskflow.ITaskExecutorGrain")]
internal interface ITaskExecutorGrain : IGrainWithIntegerKey
{
    /// <summary>Runs Execute.</summary>
    /// <param name="request">The task, its execution id and arguments.</param>
    /// <returns>The value, or the failure; never throws for a task's own exception.</returns>
    [Alias("execute"), ResponseTimeout("7.00:00:00")]
    Task<ExecutionResult> ExecuteAsync(TaskRequest request);

    /// <summary>Runs Revert.</summary>
    /// <param name="request">The task, its arguments, the execute outcome and the flow's failures.</param>
    /// <returns>Success, or the failure; never throws for a task's own exception.</returns>
    [Alias("revert"), ResponseTimeout("7.00:00:00")]
    Task<ExecutionResult> RevertAsync(RevertRequest request);

    /// <summary>Cancels the CancellationToken of an execution running here (a flow being cancelled); unknown ids are ignored.</summary>
    /// <param name="executionId">The execution to cancel.</param>
    /// <returns>A completed task (the call is one-way).</returns>
    [Alias("cancel"), global::Orleans.Concurrency.OneWay]
    Task CancelAsync(string executionId);
}
