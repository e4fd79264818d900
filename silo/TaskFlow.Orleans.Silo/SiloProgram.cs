using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Dashboard;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Silo.Demo;
using TaskFlow.Orleans.Silo.Hosting;


namespace TaskFlow.Orleans.Silo;

/// <summary>The silo host's program: reads its configuration, hosts the engine with the given tasks, serves the dashboard and
/// health checks, and with <c>demo</c> as its first argument also runs the demo flows once started.</summary>
/// <remarks>Shared with the test host (tests/TaskFlow.Orleans.TestSilo), which adds its instrumented tasks.</remarks>
internal static class SiloProgram
{
    /// <summary>Runs the silo until it is stopped (or, for <c>demo</c>, until the demo flows finished).</summary>
    /// <param name="args">The command line: configuration overrides, optionally after <c>demo</c>.</param>
    /// <param name="addTasks">Registers the tasks and flows this host runs.</param>
    /// <returns>The exit code: 0 done, 1 the demo did not end as expected, 2 bad configuration, 3 unusable store, 4 the dashboard
    /// cannot listen.</returns>
    public static async Task<int> RunAsync(string[] args, Action<TaskFlowBuilder> addTasks)
    {
        var runDemo = args is ["demo", ..];
        if (runDemo)
        {
            args = args[1..];
        }

        // appsettings.json sits next to the program; run from any directory (relative paths such as Silo:SqlitePath still
        // resolve against the working directory).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        SiloSettings settings;
        DashboardSettings dashboard;
        bool telemetry;
        try
        {
            settings = SiloHosting.Read(builder.Configuration);
            SiloNetwork.EnsurePortsFree(settings);
            dashboard = builder.Configuration.GetSection("Dashboard").Get<DashboardSettings>() ?? new DashboardSettings();
            dashboard.Validate();
            // OTLP export when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or Silo__Otlp__Endpoint); health checks always.
            telemetry = SiloObservability.AddTelemetry(builder);
            SiloObservability.AddHealth(builder);
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        if (runDemo)
        {
            // The demo prints the runs' transitions; the engine's own log lines would bury them.
            builder.Logging.AddFilter("TaskFlow", LogLevel.Error).AddFilter("Orleans", LogLevel.Error)
                .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        }

        builder.UseOrleans(silo =>
        {
            SiloHosting.Configure(silo, settings, addTasks);
            if (telemetry)
            {
                silo.AddActivityPropagation(); // a client's span becomes the parent of the runs it starts (docs/observability.md)
            }

            if (dashboard.Enabled && dashboard.OrleansDashboard)
            {
                silo.AddDashboard();
            }
        });
        // Engine settings (durability, executor spread, ...) from the TaskFlow section, e.g.
        // TaskFlow__Durability=Relaxed to trade TaskFlow's save order for latency.
        builder.Services.Configure<TaskFlowOptions>(builder.Configuration.GetSection("TaskFlow"));
        // Limits on ids, values, payloads and flow sizes, e.g. TaskFlow__Limits__MaxValueBytes=4194304 (docs/limits.md).
        builder.Services.Configure<TaskFlow.Orleans.Limits.TaskFlowLimits>(builder.Configuration.GetSection(TaskFlow.Orleans.Limits.TaskFlowLimits.SectionName));
        // Retention of finished runs, e.g. TaskFlow__Retention__FinishedRunsKeptFor=7.00:00:00 (empty or 00:00:00: keep for ever).
        builder.Services.Configure<TaskFlow.Orleans.Grains.Options.TaskFlowRetentionOptions>(builder.Configuration.GetSection(TaskFlow.Orleans.Grains.Options.TaskFlowRetentionOptions.SectionName));
        if (dashboard.Enabled)
        {
            builder.WebHost.UseUrls(dashboard.Urls);
            builder.Services.AddTaskFlowDashboard(o => o.ReadOnly = dashboard.ReadOnly);
            // What the engine masks in its logs, the dashboard masks on its pages.
            builder.Services.AddOptions<TaskFlowDashboardOptions>().Configure<IOptions<TaskFlowOptions>>((options, engine) =>
            {
                foreach (var key in engine.Value.MaskedKeys)
                {
                    options.MaskedKeys.Add(key);
                }
            });
        }
        else
        {
            // No web server: the silo alone (Kestrel would otherwise listen on its default, port 5000).
            builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer, NoWebServer>();
        }

        await using var app = builder.Build();
        if (dashboard.Enabled)
        {
            app.MapTaskFlowDashboard(dashboard.Path);
            SiloObservability.MapHealth(app);
            app.MapGet("/", () => Results.Redirect(dashboard.Path));
            if (dashboard.OrleansDashboard)
            {
                app.MapOrleansDashboard("/orleans");
            }
        }

        try
        {
            if (dashboard.Enabled)
            {
                app.Lifetime.ApplicationStarted.Register(() =>
                    Console.WriteLine($"TaskFlow dashboard: {string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + dashboard.Path))}"));
            }

            if (runDemo)
            {
                await app.StartAsync();
                var client = new TaskFlowClient(app.Services.GetRequiredService<IGrainFactory>());
                var dashboardUrl = dashboard.Enabled ? app.Urls.First().TrimEnd('/') + dashboard.Path : null;
                var asExpected = await DemoRun.RunAsync(client, dashboardUrl, app.Lifetime.ApplicationStopping);
                await app.StopAsync();
                return asExpected ? 0 : 1;
            }

            await app.RunAsync();
            return 0;
        }
        catch (TaskFlow.Orleans.TaskFlowException exception)
        {
            // A database that cannot be used, a missing table: the message names it and the fix.
            Console.Error.WriteLine(exception.Message);
            return 3;
        }
        catch (IOException exception) when (exception.InnerException is System.Net.Sockets.SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"The dashboard cannot listen on {dashboard.Urls}: {exception.Message} " +
                                    "Give each silo on one machine its own port (Dashboard__Urls=http://127.0.0.1:8081) or set Dashboard__Enabled=false.");
            return 4;
        }
    }
}
