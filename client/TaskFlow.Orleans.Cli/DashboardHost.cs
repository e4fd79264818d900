using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TaskFlow.Orleans.Dashboard;

namespace TaskFlow.Orleans.Cli;

/// <summary><c>taskflow dashboard</c>: the TaskFlow dashboard as an Orleans client web app in front of a running cluster.</summary>
internal static class DashboardHost
{
    public static async Task<int> RunAsync(ConnectionSettings settings, string urls, bool readOnly, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(urls, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw CliException.BadInput($"--urls '{urls}' is not an http(s) URL; use e.g. --urls http://127.0.0.1:8090.");
        }

        System.Net.IPEndPoint[]? gateways = null;
        if (settings.PostgreSql is not { Length: > 0 })
        {
            gateways = await Task.WhenAll(settings.Gateways.Select(g => g.ResolveAsync(cancellationToken)));
            var probe = TimeSpan.FromSeconds(Math.Min(3, settings.ConnectTimeout.TotalSeconds));
            if (!(await Task.WhenAll(gateways.Select(g => ClusterSession.IsListeningAsync(g, probe, cancellationToken)))).Any(up => up))
            {
                throw new CliException(ExitCodes.ClusterUnavailable,
                    $"No silo is listening at {string.Join(", ", settings.Gateways)}. Start one with 'dotnet run --project " +
                    "silo/TaskFlow.Orleans.Silo', or pass --host / --gateway / --postgres for the cluster to show.");
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        // Standard output is the tool's; the web host's and Orleans' log lines go to standard error.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseUrls(urls);
        builder.UseOrleansClient(client => ClusterSession.ConfigureClient(client, settings, gateways));
        builder.Services.AddTaskFlowDashboard(o => o.ReadOnly = readOnly);
        await using var app = builder.Build();
        app.MapTaskFlowDashboard("/taskflow");
        app.MapGet("/", () => Results.Redirect("/taskflow"));
        await app.StartAsync(cancellationToken);
        AnsiConsole.MarkupLine($"TaskFlow dashboard: [link]{Markup.Escape(urls.TrimEnd('/'))}/taskflow[/]{(readOnly ? " (read-only)" : "")}. Ctrl+C stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
