using System.Collections.Immutable;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Index;

/// <summary>Which runs to list from the run index, newest first, one page at a time.</summary>
/// <remarks>Every filter is optional and they combine with AND. Pages are by key, not offset: pass the previous page's
/// <see cref="FlowPage.Next"/> as <see cref="After"/>, so a page stays correct while runs are added.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowQuery")]
public sealed record FlowQuery
{
    /// <summary>The most runs a page may hold.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Only runs in one of these states; empty for any state.</summary>
    [Id(0)] public ImmutableArray<FlowState> States { get; init; } = [];

    /// <summary>Only runs of this flow name or flow factory name (exact); <see langword="null"/> for any.</summary>
    [Id(1)] public string? Name { get; init; }

    /// <summary>Only runs carrying this tag (<c>StartFlowOptions.Tags</c>); <see langword="null"/> for any.</summary>
    [Id(2)] public string? Tag { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    [Id(3)] public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only runs created before this time.</summary>
    [Id(4)] public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only runs whose id starts with this text.</summary>
    [Id(5)] public string? IdPrefix { get; init; }

    /// <summary>How many runs a page holds.</summary>
    /// <value>Default 50; from 1 to <see cref="MaxPageSize"/>.</value>
    [Id(6)] public int PageSize { get; init; } = 50;

    /// <summary>Where the page starts: the <see cref="FlowPage.Next"/> of the previous page; <see langword="null"/> for the first.</summary>
    [Id(7)] public string? After { get; init; }

    /// <summary>Checks the query and says which parameter is wrong and why.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentException($"FlowQuery.PageSize is {PageSize}; it must be from 1 to {MaxPageSize}.", nameof(PageSize));
        }

        if (CreatedFrom is { } from && CreatedBefore is { } before && before <= from)
        {
            throw new ArgumentException($"FlowQuery.CreatedBefore ({before:O}) must be later than CreatedFrom ({from:O}).", nameof(CreatedBefore));
        }

        if (After is not null && !FlowPageCursor.TryParse(After, out _))
        {
            throw new ArgumentException(
                $"FlowQuery.After '{After}' is not a page token: pass the Next of a previous page, or null for the first page.", nameof(After));
        }
    }
}
