namespace TaskFlow.Orleans.Execution;

/// <summary>
/// Runs a registered task's Execute or Revert with prepared arguments and returns the outcome as data.
/// Holds no state and changes none; the engine owns every state change.
/// </summary>
/// <remarks>Keyed by a small integer: the engine spreads calls over a bounded key space so activations are
/// reused and placed across silos (a <c>[StatelessWorker]</c> would always run on the caller's silo).</remarks>
[Alias("taskflow.ITaskExecutorGrain")]
public interface ITaskExecutorGrain : IGrainWithIntegerKey
{
    /// <summary>Runs Execute.</summary>
    /// <param name="request">The task, its execution id and arguments.</param>
    /// <returns>The value, or the failure; never throws for a task's own exception.</returns>
    [Alias("execute")]
    Task<ExecutionResult> ExecuteAsync(TaskRequest request);

    /// <summary>Runs Revert.</summary>
    /// <param name="request">The task, its arguments, the execute outcome and the flow's failures.</param>
    /// <returns>Success, or the failure; never throws for a task's own exception.</returns>
    [Alias("revert")]
    Task<ExecutionResult> RevertAsync(RevertRequest request);
}
