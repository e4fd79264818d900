namespace TaskFlow.Orleans;

/// <summary>Thrown (or recorded as a Failure) when a task or flow factory name is not registered on the silo.</summary>
[GenerateSerializer]
[Alias("taskflow.TaskNotRegisteredException")]
public sealed class TaskNotRegisteredException : TaskFlowException
{
    /// <summary>Creates the exception for a name.</summary>
    /// <param name="name">The task or factory name that is not registered.</param>
    /// <param name="message">The explanation and fix.</param>
    public TaskNotRegisteredException(string name, string message) : base(message)
    {
        Name = name;
    }

    /// <summary>The name that is not registered.</summary>
    [Id(0)] public string Name { get; }
}
