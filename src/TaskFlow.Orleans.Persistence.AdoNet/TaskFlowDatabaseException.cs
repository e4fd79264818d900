namespace TaskFlow.Orleans.Persistence.AdoNet;

/// <summary>Thrown when a silo cannot use its TaskFlow database: a bad connection string, an unreachable server, a rejected
/// login, missing permissions or an incomplete schema. The message names the database and says how to fix it.</summary>
/// <remarks>Raised at silo start-up (so the silo does not start) and by <see cref="Schema.TaskFlowSchema"/>. Faults of a running
/// silo reach grain callers as <see cref="FlowStorageException"/> instead.</remarks>
[GenerateSerializer]
[Alias("taskflow.TaskFlowDatabaseException")]
public sealed class TaskFlowDatabaseException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with which database, and how to fix it.</param>
    public TaskFlowDatabaseException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the database error that caused it.</summary>
    /// <param name="message">What is wrong with which database, and how to fix it.</param>
    /// <param name="innerException">The driver's exception.</param>
    public TaskFlowDatabaseException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
