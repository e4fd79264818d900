using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>The engine's progress as plain data, to persist and to restore after the flow's silo is lost.</summary>
public sealed class EngineMemento
{
    /// <summary>The flow's state.</summary>
    public required FlowState FlowState { get; init; }

    /// <summary>The state of every node of the execution graph (atoms, then pattern markers).</summary>
    public required AtomState[] NodeStates { get; init; }

    /// <summary>The intention for every node.</summary>
    public required Intention[] Intentions { get; init; }

    /// <summary>How many times each atom has been dispatched for execution (its attempt number).</summary>
    public required int[] Attempts { get; init; }

    /// <summary>Whether the flow is reverting after a failure.</summary>
    public bool Reverting { get; init; }

    /// <summary>Whether a revert failed (the flow will end in FAILURE).</summary>
    public bool RevertFailed { get; init; }
}
