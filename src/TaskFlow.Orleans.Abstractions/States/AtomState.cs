namespace TaskFlow.Orleans.States;

/// <summary>The state of one atom (task or retry controller) in a flow run, with TaskFlow's names.</summary>
/// <remarks>
/// Allowed transitions follow TaskFlow's <c>states.py</c>; see <c>AtomTransitions</c> in Core for the table.
/// </remarks>
[GenerateSerializer]
[Alias("taskflow.AtomState")]
public enum AtomState : byte
{
    /// <summary>Not yet run.</summary>
    Pending = 0,
    /// <summary>Execute has been dispatched and has not finished.</summary>
    Running = 1,
    /// <summary>Execute finished and its result is saved.</summary>
    Success = 2,
    /// <summary>Execute failed; the failure is saved.</summary>
    Failure = 3,
    /// <summary>Revert has been dispatched and has not finished.</summary>
    Reverting = 4,
    /// <summary>Revert finished.</summary>
    Reverted = 5,
    /// <summary>Revert failed; the flow ends in <see cref="FlowState.Failure"/>.</summary>
    RevertFailure = 6,
    /// <summary>Skipped (a link decider said no); counts as done.</summary>
    Ignore = 7,
    /// <summary>A retry controller is about to run its subflow again.</summary>
    Retrying = 8,
}
