using System.Net;
using System.Net.Sockets;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The silo process refuses network settings it cannot honour before it joins anything: it exits with code 2 and one message
/// that names the setting, the value and the fix, and prints no stack trace. Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class SiloSettingsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ListenAddress_NotOfThisMachine_IsRefusedNamingTheSetting()
    {
        var silo = await RunSiloAsync(new() { ["Silo__ListenAddress"] = "203.0.113.7" });

        Assert.Contains("Silo:ListenAddress is 203.0.113.7, which is not an address of this machine", silo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvertisedAddress_AHostNameThatDoesNotResolve_IsRefusedNamingTheSetting()
    {
        var silo = await RunSiloAsync(new() { ["Silo__AdvertisedAddress"] = "no-such-host.invalid" });

        Assert.Contains("Silo:AdvertisedAddress is the host name 'no-such-host.invalid', which does not resolve", silo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvertisedAddress_OtherThanASpecificListenAddress_IsRefused()
    {
        var silo = await RunSiloAsync(new() { ["Silo__ListenAddress"] = "127.0.0.2", ["Silo__AdvertisedAddress"] = "127.0.0.3" });

        Assert.Contains("Silo:AdvertisedAddress is 127.0.0.3 but the silo listens on 127.0.0.2 only", silo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayPort_OutOfRange_IsRefusedNamingThePort()
    {
        var silo = await RunSiloAsync(new() { ["Silo__GatewayPort"] = "70000" });

        Assert.Contains("Silo:GatewayPort is 70000; use a free TCP port between 1 and 65535.", silo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloPort_InUse_IsRefusedNamingThePortAndTheFix()
    {
        var address = IPAddress.Parse("127.0.0.2");
        using var holder = new TcpListener(address, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var silo = await RunSiloAsync(new() { ["Silo__ListenAddress"] = "127.0.0.2", ["Silo__SiloPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // The message names the process that holds the port: this test's.
        Assert.Contains($"Silo:SiloPort {port} is already in use on 127.0.0.2 (process {Environment.ProcessId} (", silo, StringComparison.Ordinal);
        Assert.Contains("Silo__SiloPort=", silo, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT is 'collector:4317', which is not an http(s) URL")]
    [InlineData("Silo__Otlp__Endpoint", "udp://127.0.0.1:4317", "Silo:Otlp:Endpoint is 'udp://127.0.0.1:4317', which is not an http(s) URL")]
    public async Task OtlpEndpoint_NotAnHttpUrl_IsRefusedNamingTheSetting(string name, string value, string message)
    {
        var silo = await RunSiloAsync(new() { [name] = value });

        Assert.Contains(message, silo, StringComparison.Ordinal);
    }

    /// <summary>Starts a silo process with PostgreSQL clustering (which never connects: the settings are refused first) and
    /// the given settings; asserts it exits with code 2 and no stack trace, and returns what it printed as one line.</summary>
    private async Task<string> RunSiloAsync(Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Silo__Storage"] = "PostgreSql",
            ["Silo__Clustering"] = "PostgreSql",
            ["Silo__PostgreSql"] = "Host=127.0.0.1;Port=1;Database=none;Username=none",
            ["Silo__SiloPort"] = SiloCluster.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = SiloCluster.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dashboard__Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        using var silo = new ManagedProcess("silo-settings", TestEnvironment.SiloDll, [], environment);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout, "refusing the settings");
        output.WriteLine(silo.Output());
        Assert.Equal(2, exitCode);
        Assert.DoesNotContain(silo.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.Contains("Exception:", StringComparison.Ordinal));
        return silo.Text();
    }

}
