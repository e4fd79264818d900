using Npgsql;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Schema;

/// <summary>The schema installer: idempotent, safe to run from several silos at once, and matching what verification expects.</summary>
public sealed class TaskFlowSchemaTests
{
    [SkippableFact]
    [Trait("Category", "PostgreSql")]
    public async Task ApplyPostgreSql_TwiceAndConcurrently_IsIdempotentAndVerifies()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "apply");
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TaskFlowSchema.ApplyPostgreSqlAsync(schema)));
            await TaskFlowSchema.ApplyPostgreSqlAsync(schema);

            await TaskFlowSchema.VerifyPostgreSqlAsync(schema);
            var tables = await PostgreSqlTestDatabase.QueryAsync(schema,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name");
            Assert.Equal(
                ["orleansquery", "taskflow_atoms", "taskflow_grain_state", "taskflow_membership", "taskflow_membership_version", "taskflow_reminders",
                 "taskflow_runs"],
                tables.Select(t => (string)t[0]!));
            var queries = await PostgreSqlTestDatabase.QueryAsync(schema, "SELECT count(*) FROM orleansquery");
            Assert.Equal(4L + 9 + 7, queries[0][0]);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }

    [SkippableFact]
    [Trait("Category", "PostgreSql")]
    public async Task GetPostgreSqlScript_RunAsOneScript_GivesTheSameSchema()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "script");
        try
        {
            await using (var connection = new NpgsqlConnection(schema))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(TaskFlowSchema.GetPostgreSqlScript(), connection);
                await command.ExecuteNonQueryAsync();
            }

            await TaskFlowSchema.VerifyPostgreSqlAsync(schema);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task ApplySqlite_Twice_IsIdempotentVerifiesAndUsesWal()
    {
        var directory = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "nested", "taskflow.db");
        try
        {
            await TaskFlowSchema.ApplySqliteAsync(path);
            await TaskFlowSchema.ApplySqliteAsync(path);

            await TaskFlowSchema.VerifySqliteAsync(path);
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", await command.ExecuteScalarAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task GetSqliteScript_RunAsOneScript_GivesTheSameSchema()
    {
        var directory = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "script.db");
        try
        {
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = TaskFlowSchema.GetSqliteScript();
                await command.ExecuteNonQueryAsync();
            }

            await TaskFlowSchema.VerifySqliteAsync(path);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Queries_EachPart_HasEveryKeyItsProviderRequires()
    {
        // The keys the Orleans 10.4.2 providers look up (read from their DbStoredQueries / Init); a typo here would only show
        // at silo start otherwise.
        string[] persistence = ["ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey"];
        string[] clustering =
        [
            "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
            "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
        ];
        string[] reminders =
        [
            "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
            "ReadReminderRowsKey", "UpsertReminderRowKey",
        ];

        Assert.Equal(persistence, Keys(SqlDialect.PostgreSql, TaskFlowSchemaParts.Persistence));
        Assert.Equal(persistence, Keys(SqlDialect.Sqlite, TaskFlowSchemaParts.Persistence));
        Assert.Equal(clustering, Keys(SqlDialect.PostgreSql, TaskFlowSchemaParts.Clustering));
        Assert.Equal(reminders, Keys(SqlDialect.PostgreSql, TaskFlowSchemaParts.Reminders));
        Assert.All(SqlScripts.Queries(SqlDialect.PostgreSql, TaskFlowSchemaParts.All), q => Assert.DoesNotContain("--", q.Value));

        static string[] Keys(SqlDialect dialect, TaskFlowSchemaParts part) =>
            SqlScripts.Queries(dialect, part).Select(q => q.Key).Order(StringComparer.Ordinal).ToArray();
    }
}
