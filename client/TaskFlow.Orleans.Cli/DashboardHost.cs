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
            throw new ArgumentException($"--urls '{urls}' is not an http(s) URL; use e.g. --urls http://127.0.0.1:8090.");
        }

        if (settings.PostgreSql is not { Length: > 0 } && !await ClusterSession.IsListeningAsync(settings.GatewayPort, cancellationToken))
        {
            throw new InvalidOperationException(
                $"No silo is listening at 127.0.0.1:{settings.GatewayPort}. Start one with 'dotnet run --project silo/TaskFlow.Orleans.Silo', " +
                "or pass --gateway / --postgres for the cluster to show.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        builder.UseOrleansClient(client => ClusterSession.ConfigureClient(client, settings));
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
