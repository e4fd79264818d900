using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>One atom of a flow run as it stands: state, result or failure, and timings.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomSnapshot")]
public sealed record AtomSnapshot
{
    /// <summary>The atom's stable id.</summary>
    [Id(0)] public required int Id { get; init; }

    /// <summary>The atom's name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>The task's registered name.</summary>
    [Id(2)] public required string TaskName { get; init; }

    /// <summary>The atom's state.</summary>
    [Id(3)] public required AtomState State { get; init; }

    /// <summary>What the engine means to do with it next.</summary>
    [Id(4)] public Intention Intention { get; init; }

    /// <summary>The execute result, once it succeeded.</summary>
    [Id(5)] public object? Result { get; init; }

    /// <summary>The execute failure, if it failed.</summary>
    [Id(6)] public Failure? Failure { get; init; }

    /// <summary>The revert failure, if its revert failed.</summary>
    [Id(7)] public Failure? RevertFailure { get; init; }

    /// <summary>When its last execute (or revert) started.</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When its last execute (or revert) ended.</summary>
    [Id(9)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The silo its last call ran on.</summary>
    [Id(10)] public string? RanOn { get; init; }

    /// <summary>How far its execute is, from 0 to 1: 0 when it starts, 1 when it succeeds, and what the task reported between.</summary>
    [Id(11)] public double Progress { get; init; }

    /// <summary>The details of the last progress report.</summary>
    [Id(12)] public string? ProgressDetails { get; init; }

    /// <summary>How many times it was dispatched for execution: its attempt number (0 before it first ran; part of the
    /// execution id its task sees).</summary>
    [Id(13)] public int Attempt { get; init; }

    /// <summary>How many of its calls (executes and reverts) returned.</summary>
    [Id(14)] public int Calls { get; init; }

    /// <summary>A retry controller's history (its attempts, what each provided, the failures that ended them);
    /// <see langword="null"/> for a task.</summary>
    /// <remarks>Emptied when the retry is reverted, as TaskFlow does.</remarks>
    [Id(15)] public RetryHistory? RetryHistory { get; init; }

    /// <summary>The arguments it was (or would be) called with by name, resolved from the stored inputs, injected values and
    /// results as the engine resolves them when it dispatches; empty while a value it needs is not stored yet (an atom
    /// before its providers ran). A result-bound argument shows the provider's current result.</summary>
    [Id(16)] public ImmutableDictionary<string, object?> Arguments { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>The stored names its arguments are read from, after rebind: inputs and other atoms' results (injected values,
    /// and optional arguments nothing provides, are left out).</summary>
    [Id(17)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>The names its result is stored under.</summary>
    [Id(18)] public ImmutableArray<string> Provides { get; init; } = [];

    /// <summary>Whether the atom is a retry controller (which runs in the engine, not on an executor; its
    /// <see cref="TaskName"/> is empty).</summary>
    [Id(19)] public bool IsRetry { get; init; }

    /// <summary>How often it executed and reverted, how often it failed, and how long that took.</summary>
    [Id(20)] public AtomStatistics Statistics { get; init; } = AtomStatistics.Empty;

    /// <summary>Its latest executes and reverts as they ended, oldest first (the last <see cref="MaxAttemptsKept"/>; the
    /// counts in <see cref="Statistics"/> cover them all).</summary>
    [Id(21)] public ImmutableArray<AtomAttempt> Attempts { get; init; } = [];

    /// <summary>How many of an atom's latest attempts are kept in <see cref="Attempts"/>.</summary>
    public const int MaxAttemptsKept = 20;
}
