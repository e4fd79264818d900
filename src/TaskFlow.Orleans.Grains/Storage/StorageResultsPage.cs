using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Storage;

/// <summary>
/// One page of a flow run's stored results: the results and failures of atoms <c>page * PageSize</c> up to the next page.
/// A flush rewrites only the pages that changed, so a commit costs O(changes), not O(flow size).
/// </summary>
[GenerateSerializer]
[Alias("taskflow.StorageResultsPage")]
public sealed class StorageResultsPage
{
    /// <summary>Execute results by atom id.</summary>
    [Id(0)] public Dictionary<int, object?> Results { get; set; } = [];

    /// <summary>Execute failures by atom id.</summary>
    [Id(1)] public Dictionary<int, Failure> Failures { get; set; } = [];

    /// <summary>Revert failures by atom id.</summary>
    [Id(2)] public Dictionary<int, Failure> RevertFailures { get; set; } = [];

    /// <summary>How many saves the grain had made when this page was written; the highest over all pages is the durable count.</summary>
    [Id(3)] public long SaveCount { get; set; }
}
