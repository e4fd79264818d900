using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

public sealed class SqliteLogbookStoreFixture : LogbookStoreFixture
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Directory, "logbook.db");

    public override Task InitializeAsync() => TaskFlowSchema.ApplySqliteAsync(DatabasePath);

    protected override ILogbookStore Create(string serviceId) =>
        new SqliteLogbookStore(DatabasePath, serviceId, NullLogger<SqliteLogbookStore>.Instance);

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The logbook conformance suite on SQLite in a temporary file.</summary>
public sealed class SqliteLogbookStoreTests(SqliteLogbookStoreFixture fixture) : LogbookStoreConformance(fixture), IClassFixture<SqliteLogbookStoreFixture>;
