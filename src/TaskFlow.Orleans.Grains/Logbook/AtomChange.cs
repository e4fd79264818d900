using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>What the engine asks the logbook to record about one atom: its whole record, except that the outcome fields
/// (result, failure, revert failure) change only as <see cref="Outcome"/> says, since the engine does not keep results.</summary>
/// <param name="AtomId">The atom.</param>
/// <param name="Record">State, intention, attempt, retry history and arguments, timings, silo and progress.</param>
/// <param name="Outcome">Which outcome fields to set from <paramref name="Record"/>.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomChange")]
internal sealed record AtomChange(
    [property: Id(0)] int AtomId,
    [property: Id(1)] AtomRecord Record,
    [property: Id(2)] AtomOutcome Outcome);

/// <summary>Which outcome an <see cref="AtomChange"/> carries.</summary>
[GenerateSerializer]
[Alias("taskflow.AtomOutcome")]
internal enum AtomOutcome : byte
{
    /// <summary>None: the stored result and failures stay.</summary>
    None = 0,

    /// <summary>An execute succeeded: the result is set and the execute failure cleared.</summary>
    Executed = 1,

    /// <summary>An execute failed: the failure is set and the result cleared.</summary>
    ExecuteFailed = 2,

    /// <summary>A revert failed: the revert failure is set.</summary>
    RevertFailed = 3,
}
