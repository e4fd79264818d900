namespace TaskFlow.Orleans;

/// <summary>Thrown when a run's engine is activated a second time while another activation still drives it (Orleans may
/// briefly hold two activations while the cluster votes a dead silo out): the second one stands down, so that no task is
/// dispatched twice by two engines. The call that caused it may simply be retried.</summary>
[GenerateSerializer]
[Alias("taskflow.RunActiveElsewhereException")]
public sealed class RunActiveElsewhereException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which run, and for how long the other engine may still hold it.</param>
    public RunActiveElsewhereException(string message) : base(message)
    {
    }
}
