namespace TaskFlow.Orleans.Core.Engine;

/// <summary>How the engine resolved one failure, for logs and tests.</summary>
/// <param name="AtomId">The atom that failed, or -1 for a cancel.</param>
/// <param name="RetryId">The retry whose subgraph the strategy affects, or <see langword="null"/> for <see cref="ResolutionStrategy.RevertAll"/>.</param>
/// <param name="Strategy">The strategy chosen.</param>
/// <param name="Applied">Whether it changed anything: a strategy weaker than one already under way (a RETRY or REVERT of a retry
/// that is already reverting, anything after a REVERT_ALL) is not applied, so the strongest decision wins.</param>
internal sealed record FailureResolution(int AtomId, int? RetryId, ResolutionStrategy Strategy, bool Applied);
