namespace TaskFlow.Orleans.Index;

/// <summary>What a bulk purge of finished runs deleted, or for a dry run would delete.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.PurgeResult")]
public sealed record PurgeResult
{
    /// <summary>How many runs were deleted (for a dry run: match now).</summary>
    [Id(0)] public long Count { get; init; }

    /// <summary>The earliest finish time among them; <see langword="null"/> when there were none.</summary>
    [Id(1)] public DateTimeOffset? OldestFinishedAt { get; init; }

    /// <summary>Whether this was a dry run (nothing was deleted).</summary>
    [Id(2)] public bool DryRun { get; init; }

    /// <summary>Adds a batch's result to this one.</summary>
    /// <param name="batch">The batch.</param>
    /// <returns>The sum.</returns>
    public PurgeResult Add(PurgeResult batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return this with
        {
            Count = Count + batch.Count,
            OldestFinishedAt = OldestFinishedAt is { } a && batch.OldestFinishedAt is { } b ? (a <= b ? a : b) : OldestFinishedAt ?? batch.OldestFinishedAt,
        };
    }
}
