using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>A logbook store whose database cannot be used fails with a <see cref="FlowStorageException"/> that names the
/// database and the fix (never the password), stores nothing, and works again once the database does.</summary>
public sealed class LogbookStoreFaultTests : IDisposable
{
    private const string Password = "s3cret-logbook-pw";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));

    public LogbookStoreFaultTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static void AssertResumeAdvice(FlowStorageException exception) =>
        Assert.Contains("resume from what is durable", exception.Message, StringComparison.Ordinal);

    [Fact]
    public async Task Sqlite_FileThatIsNotADatabase_FailsNamingTheFileAndTheFix()
    {
        var path = Path.Combine(_directory, "not-a-database.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));
        using var store = new SqliteLogbookStore(path, "svc", NullLogger<SqliteLogbookStore>.Instance);

        var write = await Assert.ThrowsAsync<FlowStorageException>(() => store.WriteAsync([Create(NewRunId()), Create(NewRunId())]));
        Assert.Contains($"'{path}'", write.Message, StringComparison.Ordinal);
        Assert.Contains("2 run(s)", write.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite error 26", write.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", write.Message, StringComparison.Ordinal);
        AssertResumeAdvice(write);

        var read = await Assert.ThrowsAsync<FlowStorageException>(() => store.ReadAsync("run-1"));
        Assert.Contains($"'{path}'", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_PathUnderARegularFile_FailsNamingTheFile()
    {
        var blocker = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var path = Path.Combine(blocker, "taskflow.db");
        using var store = new SqliteLogbookStore(path, "svc", NullLogger<SqliteLogbookStore>.Instance);

        var exception = await Assert.ThrowsAsync<FlowStorageException>(() => store.WriteAsync([Create(NewRunId())]));
        Assert.Contains($"'{path}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite error 14", exception.Message, StringComparison.Ordinal);
        AssertResumeAdvice(exception);
    }

    [Fact]
    public async Task Sqlite_WithoutTheSchema_FailsSayingToApplyIt_AndWorksOnceItIsApplied()
    {
        var path = Path.Combine(_directory, "empty.db");
        using var store = new SqliteLogbookStore(path, "svc", NullLogger<SqliteLogbookStore>.Instance);
        var runId = NewRunId();

        var exception = await Assert.ThrowsAsync<FlowStorageException>(() => store.WriteAsync([Create(runId)]));
        Assert.Contains("TaskFlowSchema.ApplySqliteAsync", exception.Message, StringComparison.Ordinal);

        // The failed batch left the store usable: the next one, on a fresh write connection, commits.
        await TaskFlowSchema.ApplySqliteAsync(path);
        Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([Create(runId)]));
        Assert.Equal(1, (await store.ReadAsync(runId))!.Version);
    }

    [Fact]
    public async Task PostgreSql_ServerNotListening_FailsNamingTheDatabaseWithoutThePassword()
    {
        var port = TestSilo.FreePort(); // free, so nothing listens on it
        var connectionString = $"Host=127.0.0.1;Port={port};Database=logbookdb;Username=logbookuser;Password={Password};Timeout=5";
        await using var store = new PostgreSqlLogbookStore(connectionString, "svc", NullLogger<PostgreSqlLogbookStore>.Instance);

        var write = await Assert.ThrowsAsync<FlowStorageException>(() => store.WriteAsync([Create(NewRunId())]));
        Assert.Contains($"PostgreSQL database 'logbookdb' at 127.0.0.1:{port} as user 'logbookuser'", write.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing of this transaction was stored", write.Message, StringComparison.Ordinal);
        Assert.Contains("Host and Port", write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, write.Message, StringComparison.Ordinal);
        AssertResumeAdvice(write);

        var read = await Assert.ThrowsAsync<FlowStorageException>(() => store.ReadAsync("run-1"));
        Assert.Contains($"127.0.0.1:{port}", read.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, read.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Category", "PostgreSql")]
    public async Task PostgreSql_WithoutTheSchema_FailsSayingToApplyIt()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "nologbook");
        try
        {
            await using var store = new PostgreSqlLogbookStore(schema, "svc", NullLogger<PostgreSqlLogbookStore>.Instance);
            var database = new NpgsqlConnectionStringBuilder(schema).Database;

            var exception = await Assert.ThrowsAsync<FlowStorageException>(() => store.WriteAsync([Create(NewRunId())]));
            Assert.Contains($"PostgreSQL database '{database}'", exception.Message, StringComparison.Ordinal);
            Assert.Contains("42P01", exception.Message, StringComparison.Ordinal);
            Assert.Contains("TaskFlowSchema.ApplyPostgreSqlAsync", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }
}
