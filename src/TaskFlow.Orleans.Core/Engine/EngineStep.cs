using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>What the engine decided in reply to one event: the state changes it made and the commands to carry out.</summary>
/// <remarks>
/// The shell carries out the commands in this order: save the outcome that caused the step, then prepare arguments for and
/// dispatch <see cref="Execute"/> and <see cref="Revert"/> to executors, and run <see cref="ExecuteRetries"/> and
/// <see cref="RevertRetries"/> locally. Each command ends with exactly one completion event fed back to the engine.
/// </remarks>
internal sealed class EngineStep
{
    /// <summary>Task atoms to dispatch for execution on executors, in dispatch order.</summary>
    public List<int> Execute { get; } = [];

    /// <summary>Task atoms to dispatch for revert on executors, in dispatch order.</summary>
    public List<int> Revert { get; } = [];

    /// <summary>
    /// Retry atoms to execute in the engine's process: prepare the retry's arguments from storage, call
    /// <c>IRetryController.Execute(GetRetryHistory(id), arguments)</c>, save the value as the retry's result, and report
    /// <see cref="FlowEngine.OnRetryExecuted"/> (or <see cref="FlowEngine.OnExecuteFailed"/> if it threw).
    /// </summary>
    public List<int> ExecuteRetries { get; } = [];

    /// <summary>
    /// Retry atoms to revert in the engine's process: call <c>IRetryController.Revert(GetRetryHistory(id), arguments)</c> with the
    /// retry's arguments plus <c>flow_failures</c>, and report <see cref="FlowEngine.OnReverted(int)"/> (or <see cref="FlowEngine.OnRevertFailed"/>).
    /// </summary>
    public List<int> RevertRetries { get; } = [];

    /// <summary>Every state change, in the order made.</summary>
    public List<StateChange> Changes { get; } = [];

    /// <summary>How the failures handled in this step were resolved.</summary>
    public List<FailureResolution> Resolutions { get; } = [];

    /// <summary>The state the flow's run stopped in during this step (SUCCESS, FAILURE, REVERTED or SUSPENDED), if it did.</summary>
    public FlowState? Finished { get; internal set; }

    /// <summary>Whether the step has nothing to carry out.</summary>
    public bool IsEmpty => Execute.Count == 0 && Revert.Count == 0 && ExecuteRetries.Count == 0 && RevertRetries.Count == 0 && Changes.Count == 0;
}
