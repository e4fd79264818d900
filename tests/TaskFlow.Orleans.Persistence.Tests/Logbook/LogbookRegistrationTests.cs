using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>AddTaskFlowSqlite and AddTaskFlowPostgreSql make their database the silo's logbook store: keyed by the silo's
/// ServiceId, replacing a store registered before, with its tables created when the silo starts.</summary>
public sealed class LogbookRegistrationTests
{
    [Fact]
    public async Task AddTaskFlowSqlite_RegistersTheSqliteStore_KeyedByTheServiceId_WithItsTablesCreatedAtStart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "taskflow.db");
        var serviceId = "logbook-reg-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var host = TestSilo.BuildLocal(serviceId, silo =>
                   {
                       silo.Services.AddSingleton<ILogbookStore>(new MemoryLogbookStore());
                       silo.AddTaskFlowSqlite(o => o.DatabasePath = path);
                   }))
            {
                await host.StartAsync();
                var store = Assert.IsType<SqliteLogbookStore>(Assert.Single(host.Services.GetServices<ILogbookStore>()));
                Assert.Equal(serviceId, store.ServiceId);
                var runId = NewRunId();
                Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([Create(runId)]));
                await host.StopAsync();

                using var other = new SqliteLogbookStore(path, serviceId, NullLogger<SqliteLogbookStore>.Instance);
                Assert.Equal(1, (await other.ReadAsync(runId))!.Version);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableFact]
    [Trait("Category", "PostgreSql")]
    public async Task AddTaskFlowPostgreSql_RegistersThePostgreSqlStore_KeyedByTheServiceId_WithItsTablesCreatedAtStart()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "logbookreg");
        var serviceId = "logbook-reg-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var host = TestSilo.BuildLocal(serviceId, silo =>
                   {
                       silo.Services.AddSingleton<ILogbookStore>(new MemoryLogbookStore());
                       silo.AddTaskFlowPostgreSql(o => o.ConnectionString = schema);
                   }))
            {
                await host.StartAsync();
                var store = Assert.IsType<PostgreSqlLogbookStore>(Assert.Single(host.Services.GetServices<ILogbookStore>()));
                Assert.Equal(serviceId, store.ServiceId);
                var runId = NewRunId();
                Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([Create(runId)]));
                await host.StopAsync();

                await using var other = new PostgreSqlLogbookStore(schema, serviceId, NullLogger<PostgreSqlLogbookStore>.Instance);
                Assert.Equal(1, (await other.ReadAsync(runId))!.Version);
            }
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }
}
