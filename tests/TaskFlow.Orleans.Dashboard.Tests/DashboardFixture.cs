using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Testing.Fixtures;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>
/// A 3-silo test cluster, the dashboard served by Kestrel on free 127.0.0.1 ports in front of it (one operable, one read-only),
/// and Debian's Chromium driven by Playwright. Playwright's own browser download cannot work on these machines, so the browser
/// is the system's (/usr/bin/chromium, installed by .ci/run); without it the browser tests are skipped, and under CI=true they fail.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string MaskedKey = "password";
    public const string MaskedInput = "api-key";
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly ClusterFixture _cluster = new();
    private WebApplication? _app;
    private WebApplication? _readOnlyApp;
    private IPlaywright? _playwright;

    public ITaskFlowClient Client => _cluster.Client;

    /// <summary>The client the operable dashboard uses: the cluster's, with a switch that makes the store look down.</summary>
    public OutageClient Outage { get; private set; } = null!;

    /// <summary>The operable dashboard's root, e.g. http://127.0.0.1:41234/taskflow.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The read-only dashboard's root.</summary>
    public string ReadOnlyUrl { get; private set; } = "";

    /// <summary>The port the operable dashboard listens on (all addresses), for a request from a non-loopback address.</summary>
    public int Port { get; private set; }

    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser, when there is none.</summary>
    public string? BrowserProblem { get; private set; }

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        Outage = new OutageClient(_cluster.Client);
        (_app, Url) = await StartAsync(readOnly: false, anyAddress: true);
        Port = new Uri(Url).Port;
        (_readOnlyApp, ReadOnlyUrl) = await StartAsync(readOnly: true, anyAddress: false);
        if (!File.Exists(ChromiumPath))
        {
            BrowserProblem = $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does.";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var app in new[] { _app, _readOnlyApp })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        await _cluster.DisposeAsync();
    }

    /// <summary>A fresh browser page (its own cookies), or a skip when there is no browser (a failure under CI=true).</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (Browser is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", BrowserProblem);
            Skip.If(true, BrowserProblem);
        }

        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    private async Task<(WebApplication App, string Url)> StartAsync(bool readOnly, bool anyAddress)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            if (anyAddress)
            {
                k.Listen(IPAddress.Any, 0);
            }
            else
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        builder.Services.AddSingleton<IGrainFactory>(_cluster.Cluster.Client);
        if (!readOnly)
        {
            builder.Services.AddSingleton<ITaskFlowClient>(Outage);
        }

        builder.Services.AddTaskFlowDashboard(o =>
        {
            o.ReadOnly = readOnly;
            o.MaskedKeys.Add(MaskedKey);
            o.MaskedKeys.Add(MaskedInput);
        });
        var app = builder.Build();
        app.MapTaskFlowDashboard("/taskflow");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        return (app, $"http://127.0.0.1:{port}/taskflow");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
