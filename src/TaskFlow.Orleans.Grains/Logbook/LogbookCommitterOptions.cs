using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Settings of the cross-run group commit.</summary>
internal sealed class LogbookCommitterOptions
{
    /// <summary>The most runs' writes one transaction carries.</summary>
    /// <value>Default 512. Must be at least 1.</value>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>How many transactions may be in flight at once.</summary>
    /// <remarks>One keeps every write of the silo in one stream (the most runs per fsync); two overlap one transaction's
    /// serialization and round trip with another's flush, which helps a database that flushes concurrent commits together
    /// (PostgreSQL does).</remarks>
    /// <value>Default 1. Must be at least 1.</value>
    public int MaxConcurrentBatches { get; set; } = 1;
}
