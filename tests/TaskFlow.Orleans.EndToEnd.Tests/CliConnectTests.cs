using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The command-line tool pointed at something that is not the cluster it asked for gives up after <c>--connect-timeout</c>
/// with one message naming what it tried and what to check: no endless retries, no stack trace. Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed partial class CliConnectTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AWrongClusterId_GivesUpWithAMessage()
    {
        using var silo = new SingleSilo(output, "cli-cluster-id");
        await silo.StartAsync();

        var cli = StartCli(silo.GatewayPort, "not-" + silo.Id, silo.Id);

        await AssertGivesUpAsync(cli, silo.GatewayPort, "not-" + silo.Id);
    }

    [Fact]
    public async Task AListenerThatIsNotOrleans_GivesUpWithAMessage()
    {
        // Accepts connections and never answers, as a web server or a database would to Orleans' greeting.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptTcpClientAsync());
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The listener was stopped.
            }
        });

        var cli = StartCli(port, "dev", "taskflow");

        await AssertGivesUpAsync(cli, port, "dev");
        listener.Stop();
        await accepting;
        Assert.NotEmpty(accepted); // the tool did reach the listener, and gave up on it
        accepted.ForEach(client => client.Dispose());
    }

    private async Task AssertGivesUpAsync(ManagedProcess cli, int port, string clusterId)
    {
        var exitCode = await cli.WaitForExitAsync(CliTimeout, "giving up");
        output.WriteLine(cli.Output());
        Assert.Equal(3, exitCode); // ExitCodes.ClusterUnavailable
        var text = cli.Text();
        Assert.Contains($"Could not connect to the gateway at 127.0.0.1:{port} as cluster '{clusterId}'", text, StringComparison.Ordinal);
        Assert.Contains("--cluster-id and --service-id match the silos'", text, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static ManagedProcess StartCli(int port, string clusterId, string serviceId) => new(
        "taskflow list", TestEnvironment.CliDll,
        ["list", "--gateway", port.ToString(CultureInfo.InvariantCulture), "--cluster-id", clusterId, "--service-id", serviceId, "--connect-timeout", "5"],
        new Dictionary<string, string> { ["TASKFLOW_POSTGRES_CLUSTER"] = "" });

}
