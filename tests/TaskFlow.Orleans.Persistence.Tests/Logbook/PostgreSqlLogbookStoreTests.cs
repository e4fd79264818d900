using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
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
    }

    protected override ILogbookStore Create(string serviceId) =>
        new PostgreSqlLogbookStore(ConnectionString!, serviceId, NullLogger<PostgreSqlLogbookStore>.Instance);

    protected override Task CleanUpAsync() => ConnectionString is null ? Task.CompletedTask : PostgreSqlTestDatabase.DropSchemaAsync(ConnectionString);
}

/// <summary>The logbook conformance suite on PostgreSQL, in a schema of its own.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlLogbookStoreTests(PostgreSqlLogbookStoreFixture fixture) : LogbookStoreConformance(fixture), IClassFixture<PostgreSqlLogbookStoreFixture>;
