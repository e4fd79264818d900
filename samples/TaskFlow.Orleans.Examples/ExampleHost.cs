using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

namespace TaskFlow.Orleans.Examples;

/// <summary>
/// One silo in this process with every example's tasks, on the memory store, and a client to it: what TaskFlow's examples get
/// from <c>taskflow.engines.load</c> in one process. Orleans' own log lines go to stderr (warnings and worse), so stdout holds
/// only what the examples print.
/// </summary>
public sealed class ExampleHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ExampleHost(IHost host, string? storePath, IReadOnlyList<string> arguments)
    {
        _host = host;
        StorePath = storePath;
        Arguments = arguments;
        Client = new TaskFlowClient(host.Services.GetRequiredService<IGrainFactory>());
        Console = host.Services.GetRequiredService<ExampleConsole>();
    }

    /// <summary>The SQLite file runs are kept in, or <see langword="null"/> for the memory store.</summary>
    public string? StorePath { get; }

    /// <summary>What the command line gave after the example's name (e.g. a tracking id to resume).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The client examples start flows with.</summary>
    public ITaskFlowClient Client { get; }

    /// <summary>Where examples and their tasks print.</summary>
    public ExampleConsole Console { get; }

    /// <summary>Starts the silo.</summary>
    /// <param name="storePath">A SQLite file to keep runs in; <see langword="null"/>: the memory store.</param>
    /// <param name="arguments">The example's arguments.</param>
    /// <returns>The host.</returns>
    public static async Task<ExampleHost> StartAsync(string? storePath = null, IReadOnlyList<string>? arguments = null)
    {
        var console = new ExampleConsole();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders()
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Error);
        builder.Services.AddSingleton(console).AddSingleton<IFlowListener>(console);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.UseOrleans(silo =>
        {
            // Runs kept in a file belong to one service across processes, so a later run of the program finds them.
            var serviceId = storePath is null ? $"taskflow-examples-{Environment.ProcessId}-{gatewayPort}" : "taskflow-examples";
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: "examples")
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("examples", serviceId))
                .UseInMemoryReminderService();
            if (storePath is null)
            {
                silo.AddTaskFlowMemoryStorage();
            }
            else
            {
                silo.AddTaskFlowSqlite(o => o.DatabasePath = storePath);
            }

            silo
                .AddTaskFlow(taskFlow =>
                {
                    foreach (var example in ExampleCatalog.All)
                    {
                        example.Register(taskFlow);
                    }
                });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ExampleHost(host, storePath, arguments ?? []);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
