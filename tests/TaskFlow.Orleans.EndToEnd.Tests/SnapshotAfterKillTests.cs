using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Client.Security;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// A run's silo killed, its snapshot read from another silo: states, results and failures intact. The silos are separate
/// processes (<c>dotnet TaskFlow.Orleans.TestSilo.dll</c>, the shipped silo plus the stress flow); the client is an Orleans client in the test process, because the
/// test must ask the cluster which silo hosts each run (<c>IManagementGrain.GetActivationAddress</c>).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "PostgreSql")]
[Trait("Category", "EndToEnd")]
public sealed class SnapshotAfterKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Two boot-server runs: one succeeds (every task SUCCESS with its result), one fails at boot-vm (unknown image) and
    /// reverts what ran before it. The silos hosting them are killed with <c>kill -9</c>; the snapshots read afterwards come
    /// from another silo and equal those read before, atom by atom: state, intention, result, failure and revert failure
    /// (types, message, stack trace, cause), and the run's state, results and failures.
    /// </summary>
    [SkippableFact]
    public async Task RunsSiloKilled_SnapshotFromAnotherSiloIsIntact()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "snapshot");
        // 4 silos: the two runs may live on two silos, and after killing both, two remain to vote them dead (Orleans
        // needs 2 votes by default; with one survivor, calls kept going to the dead silos).
        await cluster.StartSilosAsync(4);
        using var host = await StartClientAsync(connectionString, cluster.Id);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var client = new TaskFlowClient(grains);

        var good = await client.StartAsync("boot-server", new FlowInputs { ["network"] = "tenant-a", ["golden-image"] = "ubuntu-24.04" });
        var bad = await client.StartAsync("boot-server", new FlowInputs { ["network"] = "tenant-b", ["golden-image"] = "windows-95" });
        using var wait = new CancellationTokenSource(Bound);
        await good.GetResultAsync(wait.Token);
        await Assert.ThrowsAsync<FlowFailedException>(() => bad.GetResultAsync(wait.Token));

        var before = new Dictionary<string, FlowSnapshot>
        {
            [good.FlowId] = await good.GetSnapshotAsync(),
            [bad.FlowId] = await bad.GetSnapshotAsync(),
        };
        Assert.Equal(FlowState.Success, before[good.FlowId].State);
        Assert.All(before[good.FlowId].Atoms, a => Assert.Equal(AtomState.Success, a.State));
        Assert.Equal(FlowState.Reverted, before[bad.FlowId].State);
        var badVm = before[bad.FlowId].Atom("boot-vm");
        Assert.NotNull(badVm.Failure);
        Assert.Contains(before[bad.FlowId].Atoms, a => a.Name != "boot-vm" && a.State == AtomState.Reverted && a.Result is not null);

        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = new Dictionary<string, int>();
        foreach (var flowId in before.Keys)
        {
            var address = await management.GetActivationAddress(grains.GetGrain<IFlowGrain>(flowId));
            Assert.True(address is not null, $"Run {flowId} has no activation.");
            hosts[flowId] = address!.Endpoint.Port;
        }

        foreach (var port in hosts.Values.Distinct())
        {
            cluster.Kill(cluster.Silos.Single(s => s.SiloPort == port));
        }

        foreach (var (flowId, expected) in before)
        {
            var after = await ReadWithRetriesAsync(client.GetFlowHandle(flowId));

            // The client may still hold a connection to a killed gateway, or the management grain may be re-placing:
            // retry like the snapshot read, within the same bound.
            var address = await RetryAsync(async () => await management.GetActivationAddress(grains.GetGrain<IFlowGrain>(flowId)));
            Assert.True(address is not null && address.Endpoint.Port != hosts[flowId],
                $"Run {flowId} should now live on another silo than the killed one ({hosts[flowId]}), but is on {address}.");
            Assert.Equal(Describe(expected), Describe(after));
        }
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                return await call().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is not TaskFlowException && DateTime.UtcNow < deadline)
            {
                output.WriteLine($"retrying after {exception.GetType().Name}: {exception.Message}");
                await Task.Delay(500);
            }
        }
    }

    private async Task<FlowSnapshot> ReadWithRetriesAsync(FlowHandle handle)
    {
        var deadline = DateTime.UtcNow + Bound;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                return await handle.GetSnapshotAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is not TaskFlowException && DateTime.UtcNow < deadline)
            {
                // Until the cluster declares the killed silo dead, calls may still be routed to it.
                output.WriteLine($"snapshot of {handle.FlowId}, attempt {attempt}: {exception.GetType().Name}: {exception.Message.Split('\n')[0]}");
                await Task.Delay(500);
            }
        }
    }

    private static async Task<IHost> StartClientAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client => client
            .UseTaskFlowPostgreSqlClustering(connectionString)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            })
            // The cluster's silos require TLS with a certificate of its CA (SiloCluster).
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

    /// <summary>Everything a snapshot says about the run's outcome, as text (so a difference shows where it is).</summary>
    private static string Describe(FlowSnapshot snapshot)
    {
        var text = new StringBuilder();
        text.AppendLine($"flow {snapshot.FlowId} {snapshot.FlowName} {snapshot.FactoryName} {snapshot.State} created {snapshot.CreatedAt:O} finished {snapshot.FinishedAt:O}");
        foreach (var atom in snapshot.Atoms)
        {
            text.AppendLine($"  {atom.Id} {atom.Name} {atom.TaskName} {atom.State} {atom.Intention} result={atom.Result} ({atom.Result?.GetType().Name}) " +
                            $"started={atom.StartedAt:O} finished={atom.FinishedAt:O}");
            text.AppendLine($"    failure: {Describe(atom.Failure)}");
            text.AppendLine($"    revert failure: {Describe(atom.RevertFailure)}");
        }

        foreach (var (name, value) in snapshot.Results.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  result {name} = {value}");
        }

        foreach (var (name, failure) in snapshot.Failures.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  failure {name}: {Describe(failure)}");
        }

        return text.ToString();
    }

    private static string Describe(Failure? failure) => failure is null
        ? "none"
        : $"[{string.Join(",", failure.ExceptionTypeNames)}] {failure.Message} | {failure.StackTrace} | cause: {Describe(failure.Cause)}";
}
