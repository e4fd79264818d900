using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Storage;

/// <summary>An Execute or Revert outcome for storage to save.</summary>
/// <param name="AtomId">The atom.</param>
/// <param name="IsRevert">Whether this is a Revert outcome (else Execute).</param>
/// <param name="Value">The execute result.</param>
/// <param name="Failure">The failure, or <see langword="null"/> on success.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomCompletion")]
internal sealed record AtomCompletion(
    [property: Id(0)] int AtomId,
    [property: Id(1)] bool IsRevert,
    [property: Id(2)] object? Value,
    [property: Id(3)] Failure? Failure);
