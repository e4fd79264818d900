using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans;

/// <summary>Thrown when an operation that needs a finished run (one that ended SUCCESS, FAILURE or REVERTED), such as
/// purging it, is asked of a run that is still running, suspended or being resumed.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowNotFinishedException")]
public sealed class FlowNotFinishedException : TaskFlowException
{
    /// <summary>Creates the exception for a run and the state it is in.</summary>
    /// <param name="flowId">The run.</param>
    /// <param name="state">The state it is in.</param>
    public FlowNotFinishedException(string flowId, FlowState state)
        : base(Format(flowId, state))
    {
        FlowId = flowId;
        State = state;
    }

    /// <summary>The run.</summary>
    [Id(0)] public string FlowId { get; }

    /// <summary>The state it was in.</summary>
    [Id(1)] public FlowState State { get; }

    /// <summary>Whether a run in <paramref name="state"/> is finished: it ended SUCCESS, FAILURE or REVERTED, and nothing
    /// will change it again (a SUSPENDED run is not: it can be resumed).</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> for SUCCESS, FAILURE and REVERTED.</returns>
    public static bool IsFinished(FlowState state) => state is FlowState.Success or FlowState.Failure or FlowState.Reverted;

    private static string Format(string flowId, FlowState state)
    {
        var what = state == FlowState.Suspended
            ? "Resume it and let it finish, or cancel it (it then reverts and ends REVERTED)"
            : "Wait for it to finish, or cancel it (it then reverts and ends REVERTED)";
        return $"Run '{flowId}' is {StateNames.Of(state)}, not finished: only a run that ended SUCCESS, FAILURE or REVERTED can be " +
               $"purged. {what}, then purge it.";
    }
}
