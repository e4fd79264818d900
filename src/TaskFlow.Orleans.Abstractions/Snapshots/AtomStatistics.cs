using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>How often an atom ran and how long it took (TaskFlow's engine <c>statistics</c>, per atom).</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomStatistics")]
public sealed record AtomStatistics
{
    /// <summary>None yet.</summary>
    public static AtomStatistics Empty { get; } = new();

    /// <summary>Executes that returned (succeeded or failed).</summary>
    [Id(0)] public int Executes { get; init; }

    /// <summary>Reverts that returned.</summary>
    [Id(1)] public int Reverts { get; init; }

    /// <summary>Executes that failed.</summary>
    [Id(2)] public int Failures { get; init; }

    /// <summary>The time its executes took, in all.</summary>
    [Id(3)] public TimeSpan ExecuteTime { get; init; }

    /// <summary>The time its reverts took, in all.</summary>
    [Id(4)] public TimeSpan RevertTime { get; init; }

    /// <summary>How long its last execute or revert took.</summary>
    [Id(5)] public TimeSpan? LastDuration { get; init; }

    /// <summary>Executes after the first: retries of this atom (by its own retry or a parent's, or a re-run after a crash).</summary>
    public int Retries => Math.Max(0, Executes - 1);
}

/// <summary>One execute or revert of an atom, as it ended (its attempt history).</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomAttempt")]
public sealed record AtomAttempt
{
    /// <summary>The execute's attempt number (part of the execution id the task saw); a revert carries the number of the
    /// execute it undid.</summary>
    [Id(0)] public int Number { get; init; }

    /// <summary>Whether this was a revert.</summary>
    [Id(1)] public bool IsRevert { get; init; }

    /// <summary>When it started.</summary>
    [Id(2)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    [Id(3)] public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The state it left the atom in: SUCCESS or FAILURE for an execute, REVERTED or REVERT_FAILURE for a revert.</summary>
    [Id(4)] public AtomState Outcome { get; init; }

    /// <summary>Its failure, if it failed.</summary>
    [Id(5)] public Failure? Failure { get; init; }

    /// <summary>The silo it ran on.</summary>
    [Id(6)] public string? RanOn { get; init; }
}

/// <summary>A run's statistics, summed over its atoms (TaskFlow's engine <c>statistics</c>).</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowStatistics")]
public sealed record FlowStatistics
{
    /// <summary>Executes of its tasks and retry controllers that returned.</summary>
    [Id(0)] public int Executes { get; init; }

    /// <summary>Reverts that returned.</summary>
    [Id(1)] public int Reverts { get; init; }

    /// <summary>Executes that failed.</summary>
    [Id(2)] public int Failures { get; init; }

    /// <summary>Executes after each atom's first.</summary>
    [Id(3)] public int Retries { get; init; }

    /// <summary>The time executes took, summed (more than <see cref="Duration"/> when atoms ran at once).</summary>
    [Id(4)] public TimeSpan ExecuteTime { get; init; }

    /// <summary>The time reverts took, summed.</summary>
    [Id(5)] public TimeSpan RevertTime { get; init; }

    /// <summary>From the run's creation to its end (or to the snapshot, while it runs).</summary>
    [Id(6)] public TimeSpan Duration { get; init; }
}
