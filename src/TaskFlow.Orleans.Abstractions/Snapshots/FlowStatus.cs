using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>The short status of a flow run: its state and whether it finished.</summary>
/// <param name="FlowId">The flow run's id.</param>
/// <param name="FlowName">The flow's name.</param>
/// <param name="State">The flow's state.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowStatus")]
public sealed record FlowStatus(
    [property: Id(0)] string FlowId,
    [property: Id(1)] string FlowName,
    [property: Id(2)] FlowState State)
{
    /// <summary>Whether the flow reached a terminal state.</summary>
    public bool IsFinished => IsTerminal(State);

    /// <summary>Whether a flow state is terminal: success, failure, reverted or suspended.</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> when no more work happens without a request.</returns>
    public static bool IsTerminal(FlowState state) =>
        state is FlowState.Success or FlowState.Failure or FlowState.Reverted or FlowState.Suspended;
}
