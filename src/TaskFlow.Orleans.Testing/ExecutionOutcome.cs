namespace TaskFlow.Orleans.Testing;

/// <summary>How far a call recorded by an <see cref="ExecutionEntry"/> got.</summary>
public enum ExecutionOutcome
{
    /// <summary>The engine dispatched the call (the atom went RUNNING or REVERTING); it has not ended yet, or never will if
    /// its silo died.</summary>
    Started,

    /// <summary>The call returned (the atom went SUCCESS or REVERTED).</summary>
    Succeeded,

    /// <summary>The call threw (the atom went FAILURE or REVERT_FAILURE).</summary>
    Failed,
}
