namespace TaskFlow.Orleans.States;

/// <summary>The state of a whole flow run, with TaskFlow's names.</summary>
/// <remarks>
/// Allowed transitions follow TaskFlow's <c>states.py</c>; see <c>FlowTransitions</c> in Core for the table.
/// </remarks>
[GenerateSerializer]
[Alias("taskflow.FlowState")]
public enum FlowState : byte
{
    /// <summary>Accepted and not yet running.</summary>
    Pending = 0,
    /// <summary>Atoms are executing or reverting.</summary>
    Running = 1,
    /// <summary>Every atom finished successfully (or was ignored).</summary>
    Success = 2,
    /// <summary>A revert itself failed, or the failure could not be resolved.</summary>
    Failure = 3,
    /// <summary>A failure was compensated cleanly: every atom that ran was reverted.</summary>
    Reverted = 4,
    /// <summary>Suspension was requested; running atoms are finishing.</summary>
    Suspending = 5,
    /// <summary>Stopped on request; can be resumed.</summary>
    Suspended = 6,
    /// <summary>Being resumed after a suspension or a crash.</summary>
    Resuming = 7,
}
