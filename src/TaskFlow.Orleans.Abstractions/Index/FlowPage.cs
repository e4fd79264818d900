using System.Collections.Immutable;

namespace TaskFlow.Orleans.Index;

/// <summary>A page of the run index.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowPage")]
public sealed record FlowPage
{
    /// <summary>The runs, newest first.</summary>
    [Id(0)] public ImmutableArray<FlowSummary> Flows { get; init; } = [];

    /// <summary>How many runs match the query in all (every page).</summary>
    [Id(1)] public long Total { get; init; }

    /// <summary>The token of the next page (<see cref="FlowQuery.After"/>), or <see langword="null"/> on the last page.</summary>
    [Id(2)] public string? Next { get; init; }
}
