using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Startup;

/// <summary>Bad input at silo start (issue 3): each gets a <see cref="AdoNet.TaskFlowDatabaseException"/> naming the database
/// and the fix, within a bound, instead of a driver or codec exception or a hang.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlStartupTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;

    [Fact]
    public void AddTaskFlowPostgreSql_MalformedConnectionString_ThrowsAtOnceNamingTheOption()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var exception = Assert.Throws<OptionsValidationException>(() =>
            builder.UseOrleans(silo => silo.AddTaskFlowPostgreSql(o => o.ConnectionString = "Hots=db;Databse=taskflow")));

        Assert.Contains("TaskFlowPostgreSqlOptions.ConnectionString is not a valid Npgsql connection string", exception.Message);
        Assert.Contains("Host=", exception.Message);
    }

    [Fact]
    public void AddTaskFlowPostgreSql_EmptyConnectionString_ThrowsAtOnce()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var exception = Assert.Throws<OptionsValidationException>(() =>
            builder.UseOrleans(silo => silo.AddTaskFlowPostgreSql(o => o.MaxPoolSize = 0)));

        Assert.Contains("ConnectionString is empty", exception.Message);
        Assert.Contains("MaxPoolSize is 0", exception.Message);
    }

    [Fact]
    public async Task Start_UnreachablePort_FailsAfterBoundedRetriesNamingHostAndPort()
    {
        // No server needed: nothing listens on a port just released.
        var port = TestSilo.FreePort();
        var (exception, elapsed) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowPostgreSql(o =>
        {
            o.ConnectionString = $"Host=127.0.0.1;Port={port};Database=taskflow;Username=taskflow;Password=x";
            o.StartupRetryTimeout = TimeSpan.FromSeconds(2);
        }));

        Assert.Contains($"Could not reach PostgreSQL database 'taskflow' at 127.0.0.1:{port}", exception.Message);
        Assert.Contains("within 2 s", exception.Message);
        Assert.Contains("StartupRetryTimeout", exception.Message);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
    }

    [SkippableFact]
    public async Task Start_UnknownUser_FailsAtOnceNamingTheLogin()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.Require()) { Username = "no_such_user_" + Guid.NewGuid().ToString("N")[..6] };

        var (exception, elapsed) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowPostgreSql(o => o.ConnectionString = server.ConnectionString));

        Assert.Contains("refused the login", exception.Message);
        Assert.Contains("Check Username and Password", exception.Message);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"A rejected login is not retried; took {elapsed}.");
    }

    [SkippableFact]
    public async Task Start_MissingDatabase_FailsNamingTheDatabaseAndHowToCreateIt()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.Require()) { Database = "no_such_db_" + Guid.NewGuid().ToString("N")[..6] };

        var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowPostgreSql(o => o.ConnectionString = server.ConnectionString));

        Assert.Contains($"PostgreSQL database '{server.Database}'", exception.Message);
        Assert.Contains("does not exist", exception.Message);
        Assert.Contains("CREATE DATABASE", exception.Message);
    }

    [SkippableFact]
    public async Task Start_SchemaMissingATable_FailsNamingTheTableAndTheFix()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "missing");
        try
        {
            await TaskFlowSchema.ApplyPostgreSqlAsync(schema, TaskFlowSchemaParts.All);
            await PostgreSqlTestDatabase.ExecuteAsync(schema, "DROP TABLE taskflow_grain_state");

            var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowPostgreSql(o =>
            {
                o.ConnectionString = schema;
                o.ApplySchemaOnStart = false;
            }));

            Assert.Contains("table 'taskflow_grain_state' is missing", exception.Message);
            Assert.Contains("TaskFlowSchema.ApplyPostgreSqlAsync", exception.Message);
            Assert.Contains("ApplySchemaOnStart = true", exception.Message);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }

    [SkippableFact]
    public async Task Start_ClusteringOnWithoutItsTables_FailsNamingEveryMissingPiece()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "partial");
        try
        {
            await TaskFlowSchema.ApplyPostgreSqlAsync(schema, TaskFlowSchemaParts.Persistence);

            var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowPostgreSql(o =>
            {
                o.ConnectionString = schema;
                o.ApplySchemaOnStart = false;
                o.UseReminders = true;
            }));

            Assert.Contains("table 'taskflow_reminders' is missing", exception.Message);
            Assert.Contains("orleansquery lacks the named queries", exception.Message);
            Assert.Contains("'UpsertReminderRowKey'", exception.Message);
            Assert.DoesNotContain("taskflow_grain_state", exception.Message);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }
}
