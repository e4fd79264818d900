using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>One atom's part of a run's logbook (TaskFlow's atom detail): state, intention, attempt, outcome, retry history,
/// timings and progress. Written whole whenever any of it changes.</summary>
[GenerateSerializer]
[Alias("taskflow.AtomRecord")]
internal sealed class AtomRecord
{
    /// <summary>The atom's state.</summary>
    [Id(0)] public AtomState State { get; set; }

    /// <summary>The atom's intention.</summary>
    [Id(1)] public Intention Intention { get; set; }

    /// <summary>How many times it was dispatched for execution (its attempt number; part of its execution id).</summary>
    [Id(2)] public int Attempt { get; set; }

    /// <summary>Whether <see cref="Result"/> holds a result (a result may be <see langword="null"/>).</summary>
    [Id(3)] public bool HasResult { get; set; }

    /// <summary>What its last successful execute returned.</summary>
    [Id(4)] public object? Result { get; set; }

    /// <summary>Its last execute failure.</summary>
    [Id(5)] public Failure? Failure { get; set; }

    /// <summary>Its revert failure.</summary>
    [Id(6)] public Failure? RevertFailure { get; set; }

    /// <summary>A retry controller's history (attempts, provided values, failures).</summary>
    [Id(7)] public RetryHistory? RetryHistory { get; set; }

    /// <summary>The arguments a retry controller last executed with.</summary>
    [Id(8)] public Dictionary<string, object?>? RetryArguments { get; set; }

    /// <summary>When its last execute or revert started.</summary>
    [Id(9)] public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When its last execute or revert ended.</summary>
    [Id(10)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The silo its last call ran on.</summary>
    [Id(11)] public string? RanOn { get; set; }

    /// <summary>Its progress, from 0 to 1.</summary>
    [Id(12)] public double Progress { get; set; }

    /// <summary>The details of its last progress report.</summary>
    [Id(13)] public string? ProgressDetails { get; set; }

    /// <summary>How many times it was executed or reverted (dispatches that returned).</summary>
    [Id(14)] public int Calls { get; set; }

    /// <summary>How often it executed and reverted, failed, and how long that took.</summary>
    [Id(15)] public Snapshots.AtomStatistics? Statistics { get; set; }

    /// <summary>Its latest executes and reverts as they ended (the last <see cref="Snapshots.AtomSnapshot.MaxAttemptsKept"/>);
    /// replaced, never changed in place.</summary>
    [Id(16)] public System.Collections.Immutable.ImmutableArray<Snapshots.AtomAttempt> Attempts { get; set; }

    /// <summary>A copy (results and histories are shared: they are never changed in place).</summary>
    /// <returns>The copy.</returns>
    public AtomRecord Clone() => (AtomRecord)MemberwiseClone();
}
