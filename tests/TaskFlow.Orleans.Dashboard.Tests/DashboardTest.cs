using Microsoft.Playwright;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>What the dashboard tests share: flows to start, and waits that are bounded polls of a condition (never sleeps).</summary>
public abstract class DashboardTest(DashboardFixture fixture)
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected DashboardFixture Fixture { get; } = fixture;

    protected ITaskFlowClient Client => Fixture.Client;

    /// <summary>A tag unique to one test, so each test lists only its own runs.</summary>
    protected string Tag { get; } = "t-" + Guid.NewGuid().ToString("N")[..10];

    protected string NewFlowId(string what) => $"{what}-{Guid.NewGuid():N}"[..Math.Min(what.Length + 13, 60)];

    protected Task<FlowHandle> StartAsync(FlowBuilder flow, string flowId, FlowInputs? inputs = null) =>
        Client.StartAsync(flow.Build(), inputs, new StartFlowOptions { FlowId = flowId, Tags = [Tag] });

    /// <summary>Three echo tasks in a row.</summary>
    protected static FlowBuilder EchoChain(string name) => Flow.Linear(name)
        .Add<EchoTask>("one", provides: "a", inject: ("value", 1))
        .Add<EchoTask>("two", provides: "b", inject: ("value", 2))
        .Add<EchoTask>("three", provides: "c", inject: ("value", 3));

    /// <summary>An echo task, then a task that fails with <paramref name="message"/>: the run ends REVERTED.</summary>
    protected static FlowBuilder Failing(string name, string message) => Flow.Linear(name)
        .Add<EchoTask>("first", provides: "first", inject: ("value", "done"))
        .Add<FailingTask>("breaks", inject: ("failMessage", message));

    protected async Task<FlowState> WaitFinishedAsync(FlowHandle handle)
    {
        var status = await handle.GetStatusAsync();
        var deadline = DateTime.UtcNow + Timeout;
        while (!status.IsFinished && DateTime.UtcNow < deadline)
        {
            // A long poll on the run's engine: returns as soon as the run finishes.
            await foreach (var _ in handle.WatchAsync().WithCancellation(CancellationToken.None))
            {
            }

            status = await handle.GetStatusAsync();
        }

        return status.State;
    }

    protected async Task<IPage> OpenAsync(string path)
    {
        var page = await Fixture.NewPageAsync();
        var response = await page.GotoAsync(Fixture.Url + path);
        Assert.NotNull(response);
        Assert.True(response!.Ok, $"GET {path} answered {response.Status}");
        return page;
    }

    /// <summary>Set to 1 to refresh README's screenshots under docs/images while the browser tests run.</summary>
    public const string ScreenshotsVariable = "TASKFLOW_SCREENSHOTS";

    /// <summary>Saves a screenshot under docs/images for README (made by the browser tests, so it shows the current pages),
    /// only when <see cref="ScreenshotsVariable"/> is 1: a plain test run leaves the working tree as it found it.</summary>
    protected static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotsVariable) != "1")
        {
            return;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TaskFlow.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is not null)
        {
            var images = Path.Combine(directory.FullName, "docs", "images");
            Directory.CreateDirectory(images);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(images, name + ".png"), FullPage = false });
        }
    }
}
