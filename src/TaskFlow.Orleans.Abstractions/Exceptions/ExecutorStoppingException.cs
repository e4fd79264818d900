namespace TaskFlow.Orleans;

/// <summary>Thrown by an executor whose silo is shutting down while a task runs: the task was cancelled, and the engine
/// dispatches it again on another silo rather than failing it.</summary>
[GenerateSerializer]
[Alias("taskflow.ExecutorStoppingException")]
public sealed class ExecutorStoppingException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which task and silo.</param>
    public ExecutorStoppingException(string message) : base(message)
    {
    }
}
