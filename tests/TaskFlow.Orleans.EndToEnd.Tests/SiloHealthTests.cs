using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The shipped silo process serves <c>/healthz/live</c> and <c>/healthz/ready</c> on its web host; told to export traces to an
/// OTLP endpoint where nothing listens, it still runs flows (a collector that is down drops spans, never flows); and a flow's
/// spans reach an OTLP collector (here a listener that keeps what it is sent) without the flow's input values.
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

    [Fact]
    public async Task AFlowsTrace_ReachesAnOtlpCollector_WithRunAndAtomSpansAndNoInputValue()
    {
        const string Secret = "tenant-otlp-3c9d";
        var port = ClosedPort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new List<byte[]>();
        var sawAtoms = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var context = await collector.GetContextAsync();
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                    if (context.Request.Url!.AbsolutePath == "/v1/traces")
                    {
                        // OTLP is protobuf: span names and string attributes are in it as UTF-8.
                        lock (received)
                        {
                            received.Add(body.ToArray());
                            if (Text(received).Contains("taskflow.execute boot-vm", StringComparison.Ordinal)
                                && Text(received).Contains("taskflow.run boot-server", StringComparison.Ordinal))
                            {
                                sawAtoms.TrySetResult();
                            }
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                // The listener was stopped.
            }
        });

        using var silo = new SingleSilo(output, "otlp", new Dictionary<string, string>
        {
            ["Silo__Otlp__Endpoint"] = $"http://127.0.0.1:{port}",
            ["Silo__Otlp__Protocol"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        await silo.StartAsync();
        var id = "otlp-" + Guid.NewGuid().ToString("N")[..8];
        var run = silo.StartCli("run", "boot-server", "--flow-id", id, "--input", $"network={Secret}", "--input", "golden-image=ubuntu-24.04");
        Assert.Equal(0, await run.WaitForExitAsync(CliTimeout, "running boot-server"));

        await sawAtoms.Task.WaitAsync(CliTimeout);
        collector.Stop();
        await receiving;
        string all;
        lock (received)
        {
            all = Text(received);
        }

        Assert.Contains(id, all, StringComparison.Ordinal); // taskflow.flow.id
        Assert.Contains("taskflow.atom.state", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, all, StringComparison.Ordinal);
    }

    private static string Text(List<byte[]> bodies) => string.Concat(bodies.Select(b => System.Text.Encoding.UTF8.GetString(b)));

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
