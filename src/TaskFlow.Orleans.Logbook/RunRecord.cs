using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>The flow-level part of a run's logbook (TaskFlow's flow detail): its state and what the engine keeps about the
/// run as a whole. Rewritten with every write of the run.</summary>
[GenerateSerializer]
[Alias("taskflow.RunRecord")]
internal sealed class RunRecord
{
    /// <summary>The flow's state.</summary>
    [Id(0)] public FlowState State { get; set; }

    /// <summary>Why the run failed as a whole when no atom is to blame (e.g. a task it uses is no longer registered).</summary>
    [Id(1)] public Failure? FlowFailure { get; set; }

    /// <summary>When the run reached a terminal state.</summary>
    [Id(2)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Whether TaskFlow's RevertAll was applied.</summary>
    [Id(3)] public bool Reverting { get; set; }

    /// <summary>Whether a failure could not be resolved (a revert failed, or user code the engine called threw).</summary>
    [Id(4)] public bool RevertFailed { get; set; }

    /// <summary>Why the run was cancelled, if it was.</summary>
    [Id(5)] public Failure? Cancellation { get; set; }

    /// <summary>Whether it was cancelled while suspending, so it reverts once suspended.</summary>
    [Id(6)] public bool ResumeAfterSuspend { get; set; }

    /// <summary>Failures of user code the engine called (deciders, retry decisions) that halted the run.</summary>
    [Id(7)] public Failure[] EngineFailures { get; set; } = [];

    /// <summary>How many events the run has published; a new activation numbers on from here, so a watcher's position stays valid.</summary>
    [Id(8)] public long EventSequence { get; set; }

    /// <summary>The silo whose engine wrote this record.</summary>
    [Id(9)] public string? Silo { get; set; }

    /// <summary>When the run last changed.</summary>
    [Id(10)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How many record calls the logbook has applied: the engine's token that its view and the logbook agree.</summary>
    [Id(11)] public long Sequence { get; set; }

    /// <summary>The bytes of inputs and results the run has stored (serialized), checked against
    /// <see cref="Limits.TaskFlowLimits.MaxRunPayloadBytes"/>; results of atoms that ran again count again.</summary>
    [Id(12)] public long PayloadBytes { get; set; }

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public RunRecord Clone() => (RunRecord)MemberwiseClone();
}
