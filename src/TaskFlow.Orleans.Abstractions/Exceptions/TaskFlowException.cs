namespace TaskFlow.Orleans;

/// <summary>The root of the exceptions TaskFlow.Orleans throws to callers.</summary>
[GenerateSerializer]
[Alias("taskflow.TaskFlowException")]
public abstract class TaskFlowException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    protected TaskFlowException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    protected TaskFlowException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
