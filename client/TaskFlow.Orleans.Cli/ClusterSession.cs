using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Spectre.Console;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Samples.Hosting;

namespace TaskFlow.Orleans.Cli;

/// <summary>A connection to a cluster: a client of a running silo, or, when none is reachable, a silo hosted in this process.</summary>
/// <remarks>What it says about the connection, and the hosts' logs, go to standard error: standard output is the command's
/// own (e.g. <c>taskflow graph id &gt; flow.dot</c>).</remarks>
internal sealed class ClusterSession : IAsyncDisposable
{
    /// <summary>The console for messages about the tool itself rather than the command's output: standard error.</summary>
    public static readonly IAnsiConsole Messages = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    private readonly IHost _host;

    private ClusterSession(IHost host, bool inProcess)
    {
        _host = host;
        InProcess = inProcess;
        Client = new TaskFlowClient(host.Services.GetRequiredService<IClusterClient>());
    }

    public ITaskFlowClient Client { get; }

    public bool InProcess { get; }

    public static async Task<ClusterSession> OpenAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.PostgreSql is { Length: > 0 } connectionString)
        {
            // A cluster whose silos meet in PostgreSQL: find its gateways there.
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole(LogToStandardError);
            builder.UseOrleansClient(client => ConfigureClient(client, settings));
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            Messages.MarkupLine("[grey]Connected to the cluster found in PostgreSQL.[/]");
            return new ClusterSession(host, inProcess: false);
        }

        if (await IsListeningAsync(settings.GatewayPort, cancellationToken))
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole(LogToStandardError);
            builder.UseOrleansClient(client => ConfigureClient(client, settings));
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            Messages.MarkupLine($"[grey]Connected to the cluster at 127.0.0.1:{settings.GatewayPort}.[/]");
            return new ClusterSession(host, inProcess: false);
        }

        if (!settings.AllowInProcess)
        {
            throw new InvalidOperationException(
                $"No silo is listening at 127.0.0.1:{settings.GatewayPort}. Start one with 'dotnet run --project silo/TaskFlow.Orleans.Silo', or pass --in-process.");
        }

        Messages.MarkupLine($"[grey]No silo at 127.0.0.1:{settings.GatewayPort}: starting one in this process (in-memory storage).[/]");
        var siloBuilder = Host.CreateApplicationBuilder();
        // The in-process silo is an implementation detail of the tool: only its errors are worth showing.
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error).AddConsole(LogToStandardError);
        siloBuilder.UseOrleans(silo => SiloHosting.Configure(silo, new SiloSettings
        {
            SiloPort = settings.GatewayPort - 30000 + 11111,
            GatewayPort = settings.GatewayPort,
            ClusterId = settings.ClusterId,
            ServiceId = settings.ServiceId,
        }));
        var siloHost = siloBuilder.Build();
        await siloHost.StartAsync(cancellationToken);
        return new ClusterSession(siloHost, inProcess: true);
    }

    /// <summary>Points an Orleans client at the cluster: its gateways found in PostgreSQL, or one on this machine.</summary>
    public static void ConfigureClient(IClientBuilder client, ConnectionSettings settings)
    {
        if (settings.PostgreSql is { Length: > 0 } connectionString)
        {
            client.UseTaskFlowPostgreSqlClustering(connectionString);
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
    }

    private static void LogToStandardError(ConsoleLoggerOptions options) => options.LogToStandardErrorThreshold = LogLevel.Trace;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    internal static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Where the cluster is.</summary>
internal sealed record ConnectionSettings(int GatewayPort, string ClusterId, string ServiceId, bool AllowInProcess, string? PostgreSql = null);
