using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Health;

/// <summary>Readiness follows the database: a silo on a PostgreSQL database of its own is ready; when the database stops
/// taking connections (<c>ALLOW_CONNECTIONS false</c>, its sessions terminated) readiness turns unhealthy while liveness stays
/// healthy; when it takes them again readiness is healthy again.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlReadinessTests : IAsyncLifetime
{
    private readonly string _database = "tf_health_" + Guid.NewGuid().ToString("N")[..12];
    private string? _admin;

    public async Task InitializeAsync()
    {
        if (PostgreSqlTestDatabase.ConnectionString is { } server)
        {
            // The superuser (trust on the test server, as .ci/run sets it up) creates a database the taskflow role owns.
            _admin = new NpgsqlConnectionStringBuilder(server) { Username = "postgres", Password = null, Database = "postgres" }.ConnectionString;
            var owner = new NpgsqlConnectionStringBuilder(server).Username;
            await PostgreSqlTestDatabase.ExecuteAsync(_admin, $"CREATE DATABASE {_database} OWNER \"{owner}\"");
        }
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await PostgreSqlTestDatabase.ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }
    }

    [SkippableFact]
    public async Task Ready_DatabaseStopsTakingConnectionsThenTakesThemAgain_UnhealthyThenHealthyAgain()
    {
        var server = PostgreSqlTestDatabase.Require();
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
        using var silo = TestSilo.BuildLocal("health-" + Guid.NewGuid().ToString("N")[..8], s =>
        {
            s.Services.AddHealthChecks().AddTaskFlow(o => o.Timeout = TimeSpan.FromSeconds(5));
            s.AddTaskFlow(t => t.AddTask("health.answer", () => 42))
                .AddTaskFlowPostgreSql(o => o.ConnectionString = connectionString);
        });
        await silo.StartAsync();
        try
        {
            var health = silo.Services.GetRequiredService<HealthCheckService>();
            Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(health)).Status);

            await PostgreSqlTestDatabase.ExecuteAsync(_admin!, $"ALTER DATABASE {_database} ALLOW_CONNECTIONS false");
            await PostgreSqlTestDatabase.ExecuteAsync(_admin!,
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}' AND pid <> pg_backend_pid()");
            var down = await UntilAsync(health, HealthStatus.Unhealthy);
            Assert.Equal(HealthStatus.Unhealthy, down.Entries["taskflow-store"].Status);
            Assert.Equal(HealthStatus.Healthy, down.Entries["taskflow-silo"].Status);
            var live = await health.CheckHealthAsync(c => c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.LiveTag));
            Assert.Equal(HealthStatus.Healthy, live.Status);

            await PostgreSqlTestDatabase.ExecuteAsync(_admin!, $"ALTER DATABASE {_database} ALLOW_CONNECTIONS true");
            var up = await UntilAsync(health, HealthStatus.Healthy);
            Assert.Equal(HealthStatus.Healthy, up.Entries["taskflow-store"].Status);
        }
        finally
        {
            await PostgreSqlTestDatabase.ExecuteAsync(_admin!, $"ALTER DATABASE {_database} ALLOW_CONNECTIONS true");
            await silo.StopAsync();
        }
    }

    private static Task<HealthReport> ReadyAsync(HealthCheckService health) =>
        health.CheckHealthAsync(c => c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.ReadyTag));

    /// <summary>Checks readiness until it reports <paramref name="status"/> (a pooled connection may need one failed use to be
    /// dropped), within a deadline.</summary>
    private static async Task<HealthReport> UntilAsync(HealthCheckService health, HealthStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var report = await ReadyAsync(health);
            if (report.Status == status || DateTime.UtcNow > deadline)
            {
                return report;
            }
        }
    }
}
