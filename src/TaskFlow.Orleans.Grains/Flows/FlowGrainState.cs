using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>The persisted progress of one flow run: its definition, the flow's and every node's state, and timings.</summary>
/// <remarks>Written by group commit: one write in flight, every change made meanwhile goes into the next one.</remarks>
[GenerateSerializer]
[Alias("taskflow.FlowGrainState")]
public sealed class FlowGrainState
{
    /// <summary>The flow as started; <see langword="null"/> when no run has this id.</summary>
    [Id(0)] public FlowDefinition? Definition { get; set; }

    /// <summary>The factory the flow was built from, if any.</summary>
    [Id(1)] public string? FactoryName { get; set; }

    /// <summary>The flow's state.</summary>
    [Id(2)] public FlowState FlowState { get; set; }

    /// <summary>The state of every node of the execution graph (atoms first).</summary>
    [Id(3)] public AtomState[] NodeStates { get; set; } = [];

    /// <summary>The intention of every node.</summary>
    [Id(4)] public Intention[] Intentions { get; set; } = [];

    /// <summary>Each atom's attempt number.</summary>
    [Id(5)] public int[] Attempts { get; set; } = [];

    /// <summary>Whether the flow is reverting after a failure.</summary>
    [Id(6)] public bool Reverting { get; set; }

    /// <summary>Whether a revert failed.</summary>
    [Id(7)] public bool RevertFailed { get; set; }

    /// <summary>When the run was started.</summary>
    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the run reached a terminal state.</summary>
    [Id(9)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When each atom's last call started (UTC ticks; 0 when never).</summary>
    [Id(10)] public long[] StartedAt { get; set; } = [];

    /// <summary>When each atom's last call ended (UTC ticks; 0 when not yet).</summary>
    [Id(11)] public long[] FinishedAtoms { get; set; } = [];

    /// <summary>The silo each atom's last call ran on.</summary>
    [Id(12)] public string?[] RanOn { get; set; } = [];

    /// <summary>The names of the flow's inputs (the values live in storage); needed to compile the flow again on resume.</summary>
    [Id(13)] public string[] InputNames { get; set; } = [];

    /// <summary>How many flow events had been numbered; a new activation numbers on from here, so a watcher's position
    /// stays valid across a deactivation (the events themselves are not persisted).</summary>
    [Id(14)] public long EventSequence { get; set; }
}
