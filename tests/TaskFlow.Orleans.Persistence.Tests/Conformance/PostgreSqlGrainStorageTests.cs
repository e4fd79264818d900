using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

public sealed class PostgreSqlStorageFixture : StorageFixture
{
    /// <summary>The connection string of this fixture's own schema; null when no server is configured.</summary>
    public string? ConnectionString { get; private set; }

    public override void Require() => PostgreSqlTestDatabase.Require();

    protected override async Task<bool> PrepareAsync()
    {
        if (PostgreSqlTestDatabase.ConnectionString is not { } server)
        {
            return false;
        }

        ConnectionString = await PostgreSqlTestDatabase.CreateSchemaAsync(server, "storage");
        return true;
    }

    // Reminders too: the reminder table tests resolve IReminderTable from this silo.
    protected override void Configure(ISiloBuilder silo) => silo.AddTaskFlowPostgreSql(o =>
    {
        o.ConnectionString = ConnectionString!;
        o.UseReminders = true;
    });

    protected override Task CleanUpAsync() => ConnectionString is null ? Task.CompletedTask : PostgreSqlTestDatabase.DropSchemaAsync(ConnectionString);
}

/// <summary>The conformance suite on PostgreSQL 15 through our schema, plus the reminder table on the same silo.</summary>
[Trait("Category", "PostgreSql")]
public sealed partial class PostgreSqlGrainStorageTests(PostgreSqlStorageFixture fixture) : GrainStorageConformance(fixture), IClassFixture<PostgreSqlStorageFixture>
{
    [SkippableFact]
    public Task LogbookRead_RunStoredBeforeLogbooks_IsRefusedNamingTheFormat() => LegacyRunDetection.AssertRefusedAsync(Fixture);
}
