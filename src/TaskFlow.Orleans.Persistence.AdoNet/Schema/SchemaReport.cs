namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>What verification found: missing pieces (fatal) and named queries that differ from this version's (a warning).</summary>
internal sealed record SchemaReport(IReadOnlyList<string> Missing, IReadOnlyList<string> OutdatedQueries)
{
    public bool IsComplete => Missing.Count == 0;
}
