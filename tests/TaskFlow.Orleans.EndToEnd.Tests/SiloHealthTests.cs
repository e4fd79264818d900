using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The shipped silo process serves <c>/healthz/live</c> and <c>/healthz/ready</c> on its web host, and, told to export
/// traces to an OTLP endpoint where nothing listens, still runs flows: a collector that is down drops spans, never flows.
/// Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed partial class SiloHealthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HealthEndpoints_AnswerHealthy_AndAFlowRunsWithItsOtlpCollectorDown()
    {
        using var silo = new SingleSilo(output, "health", new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{ClosedPort()}",
        });
        await silo.StartAsync();
        await silo.Silo!.WaitForOutputAsync("TaskFlow dashboard:", SiloCluster.StartTimeout, "the dashboard's address");
        var dashboard = silo.AllLines().Select(line => DashboardUrl().Match(line)).First(match => match.Success);
        using var http = new HttpClient { BaseAddress = new Uri(dashboard.Groups["root"].Value), Timeout = TimeSpan.FromSeconds(30) };

        using var live = await http.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        using var ready = await http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

        var run = silo.StartCli("run", "boot-server", "--flow-id", "traced-" + Guid.NewGuid().ToString("N")[..8],
            "--input", "network=tenant-a", "--input", "golden-image=ubuntu-24.04");
        Assert.Equal(0, await run.WaitForExitAsync(CliTimeout, "running boot-server with the OTLP collector down"));
    }

    /// <summary>A loopback port nothing listens on (taken, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"TaskFlow dashboard: (?<root>https?://[^/\s,]+)")]
    private static partial Regex DashboardUrl();
}
