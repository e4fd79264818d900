namespace TaskFlow.Orleans.States;

/// <summary>TaskFlow's upper-case names of states, for traces and logs.</summary>
public static class StateNames
{
    /// <summary>The TaskFlow name of a flow state, e.g. <c>SUSPENDING</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string Of(FlowState state) => state switch
    {
        FlowState.Pending => "PENDING",
        FlowState.Running => "RUNNING",
        FlowState.Success => "SUCCESS",
        FlowState.Failure => "FAILURE",
        FlowState.Reverted => "REVERTED",
        FlowState.Suspending => "SUSPENDING",
        FlowState.Suspended => "SUSPENDED",
        FlowState.Resuming => "RESUMING",
        _ => state.ToString().ToUpperInvariant(),
    };

    /// <summary>The TaskFlow name of an atom state, e.g. <c>REVERT_FAILURE</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string Of(AtomState state) => state switch
    {
        AtomState.Pending => "PENDING",
        AtomState.Running => "RUNNING",
        AtomState.Success => "SUCCESS",
        AtomState.Failure => "FAILURE",
        AtomState.Reverting => "REVERTING",
        AtomState.Reverted => "REVERTED",
        AtomState.RevertFailure => "REVERT_FAILURE",
        AtomState.Ignore => "IGNORE",
        AtomState.Retrying => "RETRYING",
        _ => state.ToString().ToUpperInvariant(),
    };
}
