using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

public sealed class PostgreSqlLogbookStoreFixture : LogbookStoreFixture
{
    /// <summary>The connection string of this fixture's own schema; null when no server is configured.</summary>
    public string? ConnectionString { get; private set; }

    public override void Require() => PostgreSqlTestDatabase.Require();

    public override async Task InitializeAsync()
    {
        if (PostgreSqlTestDatabase.ConnectionString is not { } server)
        {
            return;
        }

        ConnectionString = await PostgreSqlTestDatabase.CreateSchemaAsync(server, "logbook");
        await TaskFlowSchema.ApplyPostgreSqlAsync(ConnectionString, TaskFlowSchemaParts.Persistence);

        // Most servers compare text by a language's rules (en_US.UTF-8, ICU), not byte by byte like a C-locale test server:
        // give run_id such a collation when the server has one, so the suite checks that the run index still orders and
        // pages run ids in ordinal order (its COLLATE "C").
        var collations = await PostgreSqlTestDatabase.QueryAsync(ConnectionString,
            "SELECT collname FROM pg_collation WHERE collname IN ('en-US-x-icu', 'und-x-icu', 'en_US.utf8') ORDER BY collname DESC");
        if (collations.Count > 0)
        {
            LinguisticCollation = (string)collations[0][0]!;
            await PostgreSqlTestDatabase.ExecuteAsync(ConnectionString,
                $"ALTER TABLE taskflow_runs ALTER COLUMN run_id TYPE text COLLATE \"{LinguisticCollation}\"");
        }
    }

    /// <summary>The collation run_id was given, or null when the server has none of the linguistic ones tried.</summary>
    public string? LinguisticCollation { get; private set; }

    protected override ILogbookStore Create(string serviceId) =>
        new PostgreSqlLogbookStore(ConnectionString!, serviceId, NullLogger<PostgreSqlLogbookStore>.Instance);

    protected override Task CleanUpAsync() => ConnectionString is null ? Task.CompletedTask : PostgreSqlTestDatabase.DropSchemaAsync(ConnectionString);
}

/// <summary>The logbook conformance suite on PostgreSQL, in a schema of its own.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlLogbookStoreTests(PostgreSqlLogbookStoreFixture fixture) : LogbookStoreConformance(fixture), IClassFixture<PostgreSqlLogbookStoreFixture>;
