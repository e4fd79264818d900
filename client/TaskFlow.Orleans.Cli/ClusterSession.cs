using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Spectre.Console;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Client.Security;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

namespace TaskFlow.Orleans.Cli;

/// <summary>A connection to a cluster: an Orleans client of its gateways.</summary>
/// <remarks>What it says about the connection, and the hosts' logs, go to standard error: standard output is the command's
/// own (e.g. <c>taskflow graph id &gt; flow.dot</c>).</remarks>
internal sealed class ClusterSession : IAsyncDisposable
{
    /// <summary>The console for messages about the tool itself rather than the command's output: standard error.</summary>
    public static readonly IAnsiConsole Messages = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    private readonly IHost _host;

    private ClusterSession(IHost host)
    {
        _host = host;
        Client = new TaskFlowClient(host.Services.GetRequiredService<IClusterClient>());
    }

    public ITaskFlowClient Client { get; }

    public static async Task<ClusterSession> OpenAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.PostgreSql is { Length: > 0 })
        {
            // A cluster whose silos meet in PostgreSQL: find its gateways there.
            var host = await ConnectAsync(settings, "the cluster's gateways listed in PostgreSQL", null, cancellationToken);
            Messages.MarkupLine("[grey]Connected to the cluster found in PostgreSQL.[/]");
            return new ClusterSession(host);
        }

        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in settings.Gateways)
        {
            endpoints.Add(await gateway.ResolveAsync(cancellationToken));
        }

        var where = string.Join(", ", settings.Gateways);
        var probeTimeout = TimeSpan.FromSeconds(Math.Min(3, settings.ConnectTimeout.TotalSeconds));
        var listening = await Task.WhenAll(endpoints.Select(endpoint => IsListeningAsync(endpoint, probeTimeout, cancellationToken)));
        if (listening.Any(answered => answered))
        {
            var host = await ConnectAsync(settings, settings.Gateways.Count == 1 ? $"the gateway at {where}" : $"the gateways at {where}",
                [.. endpoints], cancellationToken);
            Messages.MarkupLine($"[grey]Connected to the cluster at {Markup.Escape(where)}.[/]");
            return new ClusterSession(host);
        }

        throw new CliException(ExitCodes.ClusterUnavailable,
            $"No silo is listening at {where}. Start one (e.g. 'dotnet run --project silo/TaskFlow.Orleans.Silo'), or point the " +
            "tool at the cluster with --host and --gateway (or --postgres).");
    }

    /// <summary>Starts an Orleans client of the cluster, giving up after <see cref="ConnectionSettings.ConnectTimeout"/> with a
    /// message that names what was tried and the likely causes.</summary>
    private static async Task<IHost> ConnectAsync(ConnectionSettings settings, string target, IPEndPoint[]? gateways, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        // Orleans' own connection errors would repeat on every retry; the one message below says what went wrong.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Critical).AddConsole(LogToStandardError);
        builder.UseOrleansClient(client => ConfigureClient(client, settings, gateways));
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token).WaitAsync(timeout.Token);
            return host;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var why = exception is OperationCanceledException ? $"no answer within {settings.ConnectTimeout.TotalSeconds:0} s" : exception.Message;
            throw new CliException(ExitCodes.ClusterUnavailable,
                $"Could not connect to {target} as cluster '{settings.ClusterId}', service '{settings.ServiceId}' ({why}). Check that a silo " +
                "runs there, that --cluster-id and --service-id match the silos' Silo:ClusterId and Silo:ServiceId, that the port is an " +
                "Orleans gateway, and, if the silos use TLS, that --tls-cert and --tls-ca are given and the certificate comes from the " +
                "cluster's CA.", exception);
        }
    }

    /// <summary>TLS settings from the command line, or <see langword="null"/> when no CA is given (TLS off).</summary>
    public static TaskFlowTlsOptions? TlsFrom(string? certificate, string? key, string? ca) =>
        string.IsNullOrWhiteSpace(ca) && string.IsNullOrWhiteSpace(certificate)
            ? null
            : new TaskFlowTlsOptions
            {
                Enabled = true,
                Certificate = certificate,
                CertificateKey = key,
                CertificatePassword = Environment.GetEnvironmentVariable("TASKFLOW_TLS_PASSWORD"),
                CaCertificate = ca,
            };

    /// <summary>Points an Orleans client at the cluster: its gateways found in PostgreSQL, or the given ones (Orleans spreads
    /// calls over them and fails over to the others when one dies).</summary>
    public static void ConfigureClient(IClientBuilder client, ConnectionSettings settings, IPEndPoint[]? gateways)
    {
        if (settings.PostgreSql is { Length: > 0 } connectionString)
        {
            client.UseTaskFlowPostgreSqlClustering(connectionString);
        }
        else
        {
            client.UseStaticClustering(gateways ?? throw new ArgumentNullException(nameof(gateways)));
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        // The silos' default message limit: a message they would drop is refused here, before it is sent.
        client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = TaskFlow.Orleans.Limits.TaskFlowLimits.DefaultMaxMessageBytes);
        if (settings.Tls is { } tls)
        {
            client.UseTaskFlowTls(tls, name => name switch
            {
                nameof(TaskFlowTlsOptions.Certificate) => "--tls-cert",
                nameof(TaskFlowTlsOptions.CertificateKey) => "--tls-key",
                nameof(TaskFlowTlsOptions.CaCertificate) => "--tls-ca",
                nameof(TaskFlowTlsOptions.CertificatePassword) => "TASKFLOW_TLS_PASSWORD",
                _ => name,
            });
        }
    }

    private static void LogToStandardError(ConsoleLoggerOptions options) => options.LogToStandardErrorThreshold = LogLevel.Trace;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>Whether something accepts TCP connections at the endpoint (a silo's gateway, or something else).</summary>
    internal static async Task<bool> IsListeningAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient(endpoint.AddressFamily);
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await tcp.ConnectAsync(endpoint, bounded.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Where the cluster is.</summary>
internal sealed record ConnectionSettings(IReadOnlyList<GatewayAddress> Gateways, string ClusterId, string ServiceId, string? PostgreSql = null)
{
    /// <summary>TLS to the gateways, or <see langword="null"/> for none.</summary>
    public TaskFlowTlsOptions? Tls { get; init; }

    /// <summary>How long to try to reach the cluster before giving up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
