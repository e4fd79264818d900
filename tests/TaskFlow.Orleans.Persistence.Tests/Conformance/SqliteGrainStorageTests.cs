using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

public sealed class SqliteStorageFixture : StorageFixture
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Directory, "taskflow.db");

    protected override void Configure(ISiloBuilder silo) => silo.AddTaskFlowSqlite(o => o.DatabasePath = DatabasePath);

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The conformance suite on the embedded default: SQLite in a temporary file.</summary>
public sealed class SqliteGrainStorageTests(SqliteStorageFixture fixture) : GrainStorageConformance(fixture), IClassFixture<SqliteStorageFixture>
{
    [SkippableFact]
    public Task LogbookRead_RunStoredBeforeLogbooks_IsRefusedNamingTheFormat() => LegacyRunDetection.AssertRefusedAsync(Fixture);
}
