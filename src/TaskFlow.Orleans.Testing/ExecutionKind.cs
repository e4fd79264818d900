namespace TaskFlow.Orleans.Testing;

/// <summary>Which method of a task an <see cref="ExecutionEntry"/> records.</summary>
public enum ExecutionKind
{
    /// <summary>The task's execute method.</summary>
    Execute,

    /// <summary>The task's revert method.</summary>
    Revert,
}
