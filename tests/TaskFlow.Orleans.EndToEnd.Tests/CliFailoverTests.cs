using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskFlow.Orleans.Client.Security;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// <c>taskflow run</c> given every gateway of a three-silo cluster (<c>--host a,b,c</c>) while the silo that hosts its run is
/// killed: the run finishes on another silo, and the tool re-attaches through a surviving gateway and prints the outcome
/// (exit code 0), instead of waiting a minute and crashing with a <c>TimeoutException</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "PostgreSql")]
[Trait("Category", "EndToEnd")]
public sealed class CliFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);

    [SkippableFact]
    public async Task Run_SiloHostingTheRunKilled_ReattachesThroughAnotherGatewayAndPrintsTheOutcome()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "cli-failover");
        // Three silos: after one is killed, two remain to vote it dead (Orleans needs two votes by default).
        await cluster.StartSilosAsync(3);
        var id = "failover-" + Guid.NewGuid().ToString("N")[..8];
        var gateways = string.Join(",", cluster.Silos.Select(s => $"{s.Address}:{s.GatewayPort.ToString(CultureInfo.InvariantCulture)}"));
        using var cli = new ManagedProcess("taskflow run", TestEnvironment.CliDll,
            [
                "run", "stress-chain", "--flow-id", id, "--input", "start=0", "--input", "slow-ms=3000", "--host", gateways,
                "--cluster-id", cluster.ClusterId, "--service-id", cluster.Id, .. TestCertificates.Instance.ClientArguments(),
            ],
            new Dictionary<string, string> { ["TASKFLOW_POSTGRES_CLUSTER"] = "" });
        await cli.WaitForOutputAsync("step-04        RUNNING", Bound, "step-04 started");

        using (var host = await StartClientAsync(connectionString, cluster))
        {
            var grains = host.Services.GetRequiredService<IClusterClient>();
            var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IFlowGrain>(id));
            Assert.True(address is not null, $"Run {id} has no activation.");
            cluster.Kill(cluster.Silos.Single(s => s.SiloPort == address!.Endpoint.Port));
        }

        var exitCode = await cli.WaitForExitAsync(Bound, "following the run after its silo was killed");
        output.WriteLine(cli.Output(60));
        Assert.Equal(0, exitCode);
        Assert.Contains($"Flow stress-chain ({id}) ended SUCCESS.", cli.Text(), StringComparison.Ordinal);
        Assert.Contains(cli.StandardOutput, line => line.Contains("value", StringComparison.Ordinal) && line.Contains("20", StringComparison.Ordinal));
        cli.AssertNoStackTraceLines();
    }

    private static async Task<IHost> StartClientAsync(string connectionString, SiloCluster cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client => client
            .UseTaskFlowPostgreSqlClustering(connectionString)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.Id;
            })
            .UseTaskFlowTls(new TaskFlowTlsOptions
            {
                Enabled = true,
                Certificate = TestCertificates.Instance.ClientCertificate,
                CertificateKey = TestCertificates.Instance.ClientKey,
                CaCertificate = TestCertificates.Instance.Ca,
            }));
        var host = builder.Build();
        await host.StartAsync().WaitAsync(Bound);
        return host;
    }
}
