using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Retries;

/// <summary>One attempt of a retry's subflow: the value the retry provided for it, and the failures that ended it, by atom name.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.RetryAttempt")]
public sealed record RetryAttempt
{
    /// <summary>What the retry's execute returned for this attempt.</summary>
    [Id(0)] public object? Provided { get; init; }

    /// <summary>The failures of atoms the retry controls during this attempt, by atom name (empty while the attempt runs or when it succeeded).</summary>
    [Id(1)] public ImmutableDictionary<string, Failure> Failures { get; init; } = ImmutableDictionary<string, Failure>.Empty;
}
