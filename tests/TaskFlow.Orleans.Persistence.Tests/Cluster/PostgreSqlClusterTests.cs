using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Cluster;

/// <summary>Two silos form one cluster through our clustering schema, a client finds them through it, and a reminder is stored
/// in our reminders schema and fires.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlClusterTests
{
    [SkippableFact]
    public async Task TwoSilos_WithPostgreSqlClustering_FormOneClusterAndRunReminders()
    {
        var schema = await PostgreSqlTestDatabase.CreateSchemaAsync(PostgreSqlTestDatabase.Require(), "cluster");
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var serviceId = "service-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new[] { BuildSilo(schema, clusterId, serviceId), BuildSilo(schema, clusterId, serviceId) };
        IHost? client = null;
        try
        {
            // Together: both apply the schema at once (serialized by the advisory lock) and join through the table.
            await Task.WhenAll(silos.Select(s => s.StartAsync()));

            var members = await PostgreSqlTestDatabase.QueryAsync(schema,
                $"SELECT status FROM taskflow_membership WHERE cluster_id = '{clusterId}'");
            Assert.Equal(2, members.Count);
            Assert.All(members, m => Assert.Equal(3, m[0]));  // SiloStatus.Active

            client = BuildClient(schema, clusterId, serviceId);
            await client.StartAsync();
            var grains = client.Services.GetRequiredService<IGrainFactory>();
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(2, hosts.Count);

            var probe = grains.GetGrain<IReminderProbeGrain>("probe-" + Guid.NewGuid().ToString("N")[..8]);
            await probe.RegisterAsync();
            var stored = await PostgreSqlTestDatabase.QueryAsync(schema,
                $"SELECT reminder_name FROM taskflow_reminders WHERE service_id = '{serviceId}'");
            Assert.Equal(ReminderProbeGrain.ReminderName, Assert.Single(stored)[0]);

            var fired = ReminderProbeGrain.Fired[probe.GetPrimaryKeyString()].Task;
            await fired.WaitAsync(TimeSpan.FromSeconds(60));

            await probe.UnregisterAsync();
            Assert.Empty(await PostgreSqlTestDatabase.QueryAsync(schema,
                $"SELECT reminder_name FROM taskflow_reminders WHERE service_id = '{serviceId}'"));
        }
        finally
        {
            if (client is not null)
            {
                await client.StopAsync();
                client.Dispose();
            }

            await Task.WhenAll(silos.Select(s => s.StopAsync()));
            foreach (var silo in silos)
            {
                silo.Dispose();
            }

            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }
    }

    private static IHost BuildSilo(string connectionString, string clusterId, string serviceId) => TestSilo.Build(silo => silo
        .AddTaskFlowPostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.UseClustering = true;
            o.UseReminders = true;
        })
        .ConfigureEndpoints(IPAddress.Loopback, TestSilo.FreePort(), TestSilo.FreePort())
        .Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        }));

    private static IHost BuildClient(string connectionString, string clusterId, string serviceId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .UseTaskFlowPostgreSqlClustering(connectionString)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            }));
        return builder.Build();
    }
}
