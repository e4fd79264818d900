using TaskFlow.Orleans.Failures;
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
}
