using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>What the engine decided in reply to one event: the state changes it made and the commands to carry out.</summary>
public sealed class EngineStep
{
    /// <summary>Atoms to dispatch for execution, in dispatch order.</summary>
    public List<int> Execute { get; } = [];

    /// <summary>Atoms to dispatch for revert, in dispatch order.</summary>
    public List<int> Revert { get; } = [];

    /// <summary>Every state change, in the order made.</summary>
    public List<StateChange> Changes { get; } = [];

    /// <summary>The terminal state the flow reached in this step, if it did.</summary>
    public FlowState? Finished { get; internal set; }

    /// <summary>Whether the step has nothing to carry out.</summary>
    public bool IsEmpty => Execute.Count == 0 && Revert.Count == 0 && Changes.Count == 0;
}
