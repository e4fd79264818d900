using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Storage;

/// <summary>What storage holds for a flow run: each atom's result and failures, and the results by provided name.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.StoredResults")]
internal sealed record StoredResults
{
    /// <summary>Execute results by atom id.</summary>
    [Id(0)] public ImmutableDictionary<int, object?> Results { get; init; } = ImmutableDictionary<int, object?>.Empty;

    /// <summary>Execute failures by atom id.</summary>
    [Id(1)] public ImmutableDictionary<int, Failure> Failures { get; init; } = ImmutableDictionary<int, Failure>.Empty;

    /// <summary>Revert failures by atom id.</summary>
    [Id(2)] public ImmutableDictionary<int, Failure> RevertFailures { get; init; } = ImmutableDictionary<int, Failure>.Empty;

    /// <summary>Every provided name with its value (the flow's outputs), from atoms that succeeded.</summary>
    [Id(3)] public ImmutableDictionary<string, object?> Named { get; init; } = ImmutableDictionary<string, object?>.Empty;
}
