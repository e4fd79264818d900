namespace TaskFlow.Orleans;

/// <summary>Thrown when a flow's state could not be read or written; wraps the database error, which cannot cross a grain call itself.</summary>
/// <remarks>Nothing already stored is lost: the flow carries on from its last durable state once storage is back.</remarks>
[GenerateSerializer]
[Alias("taskflow.FlowStorageException")]
public sealed class FlowStorageException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, with the original error's type and message, and how to fix it.</param>
    public FlowStorageException(string message) : base(message)
    {
    }
}
