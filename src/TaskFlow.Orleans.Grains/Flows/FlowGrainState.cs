using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>The persisted progress of one flow run: the flow's and every node's state, attempts and timings.</summary>
/// <remarks>Written by group commit: one write in flight, every change made meanwhile goes into the next one.
/// The definition is persisted apart (<see cref="FlowDefinitionState"/>), once, so commits do not rewrite it.</remarks>
[GenerateSerializer]
[Alias("taskflow.FlowGrainState")]
public sealed class FlowGrainState
{
    /// <summary>The flow's state.</summary>
    [Id(2)] public FlowState FlowState { get; set; }

    /// <summary>The <see cref="AtomState"/> of every node of the execution graph (atoms first), one byte each.</summary>
    [Id(3)] public byte[] NodeStates { get; set; } = [];

    /// <summary>The <see cref="Intention"/> of every node, one byte each.</summary>
    [Id(4)] public byte[] Intentions { get; set; } = [];

    /// <summary>Each atom's attempt number.</summary>
    [Id(5)] public int[] Attempts { get; set; } = [];

    /// <summary>Whether the flow is reverting after a failure.</summary>
    [Id(6)] public bool Reverting { get; set; }

    /// <summary>Whether a revert failed.</summary>
    [Id(7)] public bool RevertFailed { get; set; }

    /// <summary>When the run reached a terminal state.</summary>
    [Id(9)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When each atom's last call started (UTC ticks; 0 when never).</summary>
    [Id(10)] public long[] StartedAt { get; set; } = [];

    /// <summary>When each atom's last call ended (UTC ticks; 0 when not yet).</summary>
    [Id(11)] public long[] FinishedAtoms { get; set; } = [];

    /// <summary>The silo each atom's last call ran on.</summary>
    [Id(12)] public string?[] RanOn { get; set; } = [];

    /// <summary>Why the run failed as a whole when no atom is to blame (e.g. a task it uses is no longer registered).</summary>
    [Id(13)] public TaskFlow.Orleans.Failures.Failure? FlowFailure { get; set; }

    /// <summary>How many flow events had been numbered; a new activation numbers on from here, so a watcher's position
    /// stays valid across a deactivation (the events themselves are not persisted).</summary>
    [Id(14)] public long EventSequence { get; set; }

    /// <summary>Each retry controller's history (attempts, provided values, failures), by atom id.</summary>
    [Id(15)] public Dictionary<int, TaskFlow.Orleans.Retries.RetryHistory>? RetryHistories { get; set; }

    /// <summary>The arguments each retry controller last executed with, by atom id.</summary>
    [Id(16)] public Dictionary<int, Dictionary<string, object?>>? RetryArguments { get; set; }

    /// <summary>The execute failure of each atom in FAILURE, by atom id (what retry decisions are made on).</summary>
    [Id(17)] public Dictionary<int, TaskFlow.Orleans.Failures.Failure>? Failures { get; set; }

    /// <summary>The results link deciders read, by atom id.</summary>
    [Id(18)] public Dictionary<int, object?>? DeciderResults { get; set; }

    /// <summary>Failures of user code the engine called (deciders, retry decisions) that halted the flow.</summary>
    [Id(19)] public TaskFlow.Orleans.Failures.Failure[]? EngineFailures { get; set; }

    /// <summary>Why the flow was cancelled, if it was.</summary>
    [Id(20)] public TaskFlow.Orleans.Failures.Failure? Cancellation { get; set; }

    /// <summary>Whether the flow was cancelled while suspending, so it reverts once suspended.</summary>
    [Id(21)] public bool ResumeAfterSuspend { get; set; }

    /// <summary>Each atom's progress, from 0 to 1.</summary>
    [Id(22)] public double[] Progress { get; set; } = [];

    /// <summary>The details of each atom's last progress report.</summary>
    [Id(23)] public string?[] ProgressDetails { get; set; } = [];
}
