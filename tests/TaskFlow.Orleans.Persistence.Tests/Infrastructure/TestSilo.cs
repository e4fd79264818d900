using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Persistence.Tests.Infrastructure;

/// <summary>Builds in-process silo hosts: a silo with localhost clustering starts in about a second and a half.</summary>
public static class TestSilo
{
    /// <summary>A free TCP port on the loopback interface.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A silo host with localhost clustering on free ports; the ServiceId and ClusterId are both <paramref name="serviceId"/>.</summary>
    public static IHost BuildLocal(string serviceId, Action<ISiloBuilder> configure) => Build(silo =>
    {
        silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: serviceId, clusterId: serviceId);
        configure(silo);
    });

    /// <summary>A silo host with localhost clustering whose gateway listens on <paramref name="gatewayPort"/>.</summary>
    public static IHost BuildLocal(string serviceId, int gatewayPort, Action<ISiloBuilder> configure) => Build(silo =>
    {
        silo.UseLocalhostClustering(FreePort(), gatewayPort, serviceId: serviceId, clusterId: serviceId);
        configure(silo);
    });

    /// <summary>A started client host connected to a localhost-clustered silo's gateway.</summary>
    public static async Task<IHost> StartClientAsync(string serviceId, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId, serviceId));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>A silo host configured entirely by <paramref name="configure"/>, which must set clustering.</summary>
    public static IHost Build(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.UseOrleans(configure);
        return builder.Build();
    }
}
