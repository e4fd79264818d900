using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Operations;

/// <summary>Purging through a silo on SQLite: a finished run's rows leave the database; a running run's stay.</summary>
public sealed class SqlitePurgeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"taskflow-purge-{Guid.NewGuid():N}.db");
    private readonly string _serviceId = "purge-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task PurgeAsync_OnASqliteSilo_DeletesAFinishedRunsRowsAndRefusesARunningRun()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var silo = TestSilo.BuildLocal(_serviceId, s => s
            .UseInMemoryReminderService()
            .AddTaskFlowSqlite(o => o.DatabasePath = _database)
            .AddTaskFlow(t => t
                .AddTask("test.answer", () => 42)
                .AddTask("test.gated", () => gate.Task)));
        await silo.StartAsync();
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            var done = "done-" + Guid.NewGuid().ToString("N")[..8];
            var waiting = "waiting-" + Guid.NewGuid().ToString("N")[..8];
            await grains.GetGrain<IFlowGrain>(done).StartAsync(new FlowStartRequest
            {
                Definition = Flow.Linear("purged").Add("test.answer", "a").Add("test.answer", "b").Build(),
            });
            Assert.Equal(FlowState.Success, (await grains.GetGrain<IFlowGrain>(done).WaitForCompletionAsync(Timeout)).State);
            await grains.GetGrain<IFlowGrain>(waiting).StartAsync(new FlowStartRequest
            {
                Definition = Flow.Linear("kept").Add("test.gated", "g").Build(),
            });
            Assert.Equal((1, 2), await CountRowsAsync(done));

            Assert.True(await grains.GetGrain<IFlowGrain>(done).PurgeAsync().WaitAsync(Timeout));
            var refused = await Assert.ThrowsAsync<FlowNotFinishedException>(() => grains.GetGrain<IFlowGrain>(waiting).PurgeAsync().WaitAsync(Timeout));

            Assert.Equal((0, 0), await CountRowsAsync(done));
            Assert.Equal(FlowState.Running, refused.State);
            Assert.Equal(1, (await CountRowsAsync(waiting)).Runs);
            gate.TrySetResult(1);
            Assert.Equal(FlowState.Success, (await grains.GetGrain<IFlowGrain>(waiting).WaitForCompletionAsync(Timeout)).State);
            Assert.True(await grains.GetGrain<IFlowGrain>(waiting).PurgeAsync().WaitAsync(Timeout));
            Assert.Equal((0, 0), await CountRowsAsync(waiting));
        }
        finally
        {
            gate.TrySetResult(0);
            await silo.StopAsync();
        }
    }

    private async Task<(long Runs, long Atoms)> CountRowsAsync(string runId)
    {
        await using var connection = new SqliteConnection($"Data Source={_database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT count(*) FROM taskflow_runs WHERE service_id = $s AND run_id = $r), " +
            "(SELECT count(*) FROM taskflow_atoms WHERE service_id = $s AND run_id = $r)";
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$r", runId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }
}
