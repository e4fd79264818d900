using Microsoft.Playwright;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;
using static Microsoft.Playwright.Assertions;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>The dashboard in Debian's Chromium: lists, run pages, live changes, actions, and what must never render as markup.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [SkippableFact]
    public async Task RunsList_ShowsStartedRunsWithStatesAndCounts_AndFiltersByState()
    {
        var good = NewFlowId("good");
        var bad = NewFlowId("bad");
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(await StartAsync(EchoChain("echo-chain"), good)));
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(await StartAsync(Failing("breaking", "no disk"), bad)));

        var page = await OpenAsync("/runs?tag=" + Tag);
        await Expect(page.Locator("#run-total")).ToHaveTextAsync("2");
        var goodRow = page.Locator($"tr[data-flow-id='{good}']");
        await Expect(goodRow).ToHaveAttributeAsync("data-state", "SUCCESS");
        await Expect(goodRow.Locator(".count[data-atom-state='SUCCESS']")).ToHaveAttributeAsync("data-count", "3");
        var badRow = page.Locator($"tr[data-flow-id='{bad}']");
        await Expect(badRow).ToHaveAttributeAsync("data-state", "REVERTED");
        // TaskFlow reverts the failed task too: both atoms end REVERTED.
        await Expect(badRow.Locator(".count[data-atom-state='REVERTED']")).ToHaveAttributeAsync("data-count", "2");
        await Expect(badRow.Locator(".failure")).ToContainTextAsync("no disk");

        // Filter with the form: the URL carries the filter (shareable) and only the reverted run is left.
        await page.Locator("#run-filters input[name='state'][value='REVERTED']").CheckAsync();
        await page.Locator("#run-filters button[type='submit']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("state=REVERTED"));
        await Expect(page.Locator("#run-total")).ToHaveTextAsync("1");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-flow-id='{bad}']")).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task RunPage_AtomOfARunningFlowTurnsSuccessWithoutAReload()
    {
        var flowId = NewFlowId("live");
        var flow = Flow.Linear("live-flow")
            .Add<GatedTask>("wait", provides: "waited", inject: ("value", "ok"))
            .Add<EchoTask>("after", provides: "after", rebind: ("value", "waited"));
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);

        var page = await OpenAsync("/runs/" + flowId);
        await Expect(page.Locator("#atoms tr[data-atom='wait']")).ToHaveAttributeAsync("data-state", "RUNNING");
        await page.EvaluateAsync("window.__sameDocument = 'yes'");
        await page.Locator("#load-events").ClickAsync();
        await Expect(page.Locator("#events tr[data-name='wait'][data-state='RUNNING']")).ToHaveCountAsync(1);

        TaskGates.Open(flowId, "wait");
        await Expect(page.Locator("#atoms tr[data-atom='wait']")).ToHaveAttributeAsync("data-state", "SUCCESS");
        await Expect(page.Locator("#atoms tr[data-atom='after']")).ToHaveAttributeAsync("data-state", "SUCCESS");
        await Expect(page.Locator("#flow-state .state")).ToHaveAttributeAsync("data-state", "SUCCESS");
        Assert.Equal("yes", await page.EvaluateAsync<string>("window.__sameDocument"));
        // The engine's events reached the page's event history as they happened.
        await Expect(page.Locator("#events tr[data-name='wait'][data-state='SUCCESS']")).ToHaveCountAsync(1);
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(handle));
    }

    [SkippableFact]
    public async Task SuspendAndResume_FromThePage_RunEndsSuccess()
    {
        var flowId = NewFlowId("pause");
        var flow = Flow.Linear("pausable")
            .Add<GatedTask>("first", provides: "x", inject: ("value", 1))
            .Add<EchoTask>("second", provides: "y", rebind: ("value", "x"));
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "first").WaitAsync(Timeout);

        var page = await OpenAsync("/runs/" + flowId);
        await page.Locator("#actions a[data-action='suspend']").ClickAsync();
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator(".banner.notice")).ToContainTextAsync("Suspend asked");
        TaskGates.Open(flowId, "first");
        await Expect(page.Locator("#flow-state .state")).ToHaveAttributeAsync("data-state", "SUSPENDED");
        await Expect(page.Locator("#atoms tr[data-atom='second']")).ToHaveAttributeAsync("data-state", "PENDING");

        await page.Locator("#actions a[data-action='resume']").ClickAsync();
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator("#flow-state .state")).ToHaveAttributeAsync("data-state", "SUCCESS");
        await Expect(page.Locator("#atoms tr[data-atom='second']")).ToHaveAttributeAsync("data-state", "SUCCESS");
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(handle));
    }

    [SkippableFact]
    public async Task Cancel_FromThePage_EndsRevertedWithTheRevertsShown_AndIsAudited()
    {
        var flowId = NewFlowId("cancel");
        var flow = Flow.Linear("cancellable")
            .Add<EchoTask>("done-first", provides: "x", inject: ("value", 1))
            .Add<GatedTask>("held", provides: "y", rebind: ("value", "x"));
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "held").WaitAsync(Timeout);

        var page = await OpenAsync("/runs/" + flowId);
        await page.Locator("#actions a[data-action='cancel']").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("everything that ran is reverted");
        await page.Locator("#confirm").ClickAsync();
        TaskGates.Open(flowId, "held");
        await Expect(page.Locator("#flow-state .state")).ToHaveAttributeAsync("data-state", "REVERTED");
        await Expect(page.Locator("#atoms tr[data-atom='done-first']")).ToHaveAttributeAsync("data-state", "REVERTED");
        await Expect(page.Locator("#atoms tr[data-atom='held']")).ToHaveAttributeAsync("data-state", "REVERTED");
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(handle));

        await page.GotoAsync(Fixture.Url + "/audit");
        var entry = page.Locator("#audit tr[data-action='cancel']", new PageLocatorOptions { HasText = flowId });
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync("anonymous (local)");
    }

    [SkippableFact]
    public async Task FailedRun_ShowsTypeMessageAndStackTrace_AndScriptInTheMessageIsText()
    {
        const string message = "<script>window.__pwned = 1</script> disk full";
        var flowId = NewFlowId("failed");
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(await StartAsync(Failing("failing", message), flowId)));

        var page = await OpenAsync("/runs/" + flowId);
        var failure = page.Locator("#failures article[data-atom='breaks']");
        await Expect(failure.Locator(".exception-type").First).ToHaveTextAsync("System.InvalidOperationException");
        await Expect(failure.Locator(".exception-message").First).ToHaveTextAsync(message);
        await Expect(failure.Locator(".stack-trace").First).ToContainTextAsync("FailingTask");
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
    }

    [SkippableFact]
    public async Task RunPage_GraphHasOneNodePerAtomCarryingItsState_WithPatternsAsClusters()
    {
        var flowId = NewFlowId("graph");
        var flow = Flow.Linear("graphed")
            .Add<EchoTask>("prepare", provides: "p", inject: ("value", 1))
            .Add(Flow.Unordered("fan-out")
                .Add<EchoTask>("left", provides: "l", rebind: ("value", "p"))
                .Add<EchoTask>("right", provides: "r", rebind: ("value", "p")))
            .Add<FailingTask>("finish", inject: ("failMessage", "late failure"));
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(await StartAsync(flow, flowId)));
        var snapshot = await Client.GetStoredSnapshotAsync(flowId);

        var page = await OpenAsync("/runs/" + flowId);
        var nodes = page.Locator("#graph svg g.atom");
        await Expect(nodes).ToHaveCountAsync(snapshot.Atoms.Length);
        foreach (var atom in snapshot.Atoms)
        {
            await Expect(page.Locator($"#graph svg g.atom[data-atom='{atom.Name}']")).ToHaveAttributeAsync("data-state", StateNames.Of(atom.State));
        }

        await Expect(page.Locator("#graph svg")).ToContainTextAsync("fan-out");
        await ScreenshotAsync(page, "dashboard-run-reverted");
        var svg = await page.APIRequest.GetAsync(Fixture.Url + "/api/runs/" + flowId + "/graph?format=svg");
        Assert.Equal(200, svg.Status);
        Assert.Contains("data-atom=\"finish\"", await svg.TextAsync(), StringComparison.Ordinal);
        var bad = await page.APIRequest.GetAsync(Fixture.Url + "/api/runs/" + flowId + "/graph?format=png");
        Assert.Equal(400, bad.Status);
    }

    [SkippableFact]
    public async Task MaskedResult_ShowsStars_AndNeverReachesTheHtmlOrTheJson()
    {
        var flowId = NewFlowId("secret");
        var flow = Flow.Linear("with-secret")
            .Add<EchoTask>("make-secret", provides: DashboardFixture.MaskedKey, inject: ("value", "hunter2-secret"))
            .Add<EchoTask>("shown", provides: "note", inject: ("value", "<script>window.__pwned2 = 1</script>"))
            .Add<NoopTask>("login", requires: DashboardFixture.MaskedInput);
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(await StartAsync(flow, flowId,
            new Client.FlowInputs { ["user"] = "<script>window.__pwned3 = 1</script>", [DashboardFixture.MaskedInput] = "hunter2-input" })));

        var page = await OpenAsync("/runs/" + flowId);
        await Expect(page.Locator($".results tr[data-key='{DashboardFixture.MaskedKey}'] code")).ToHaveTextAsync("***");
        await Expect(page.Locator("#atoms tr[data-atom='make-secret'] .atom-result code")).ToHaveTextAsync("***");
        await Expect(page.Locator(".results tr[data-key='note'] code")).ToHaveTextAsync("\"<script>window.__pwned2 = 1</script>\"");
        await Expect(page.Locator("#atoms tr[data-atom='make-secret'] .atom-arguments code")).ToHaveTextAsync("***");
        await Expect(page.Locator(".inputs tr[data-key='user'] code")).ToHaveTextAsync("\"<script>window.__pwned3 = 1</script>\"");
        await Expect(page.Locator($".inputs tr[data-key='{DashboardFixture.MaskedInput}'] code")).ToHaveTextAsync("***");
        Assert.DoesNotContain("hunter2", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned2"));
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned3"));

        var json = await page.APIRequest.GetAsync(Fixture.Url + "/api/runs/" + flowId);
        Assert.Equal(200, json.Status);
        var text = await json.TextAsync();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("\"***\"", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RerunThenPurge_FromThePage_StartsALikeRunAndDeletesTheOld()
    {
        var flowId = NewFlowId("again");
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(await StartAsync(Failing("repeatable", "flaky disk"), flowId)));

        var page = await OpenAsync("/runs/" + flowId);
        await page.Locator("#actions a[data-action='rerun']").ClickAsync();
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator(".banner.notice")).ToContainTextAsync("started again");
        var newId = await page.Locator("#flow-id").InnerTextAsync();
        Assert.NotEqual(flowId, newId);
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(Client.GetFlowHandle(newId)));
        var rerun = await Client.GetStoredSnapshotAsync(newId);
        Assert.Contains("rerun-of:" + flowId, rerun.Tags);
        Assert.Contains(Tag, rerun.Tags);

        await page.GotoAsync(Fixture.Url + "/runs/" + flowId);
        await page.Locator("#actions a[data-action='purge']").ClickAsync();
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator(".banner.notice")).ToContainTextAsync("purged");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?done=purged"));
        await Expect(page.Locator($"#runs tr[data-flow-id='{flowId}']")).ToHaveCountAsync(0);
        var gone = await page.APIRequest.GetAsync(Fixture.Url + "/runs/" + flowId);
        Assert.Equal(404, gone.Status);
    }

    [SkippableFact]
    public async Task ReadOnlyDashboard_ShowsNoActions_AndRefusesAPost()
    {
        var flowId = NewFlowId("ro");
        var flow = Flow.Linear("read-only").Add<GatedTask>("held", provides: "y", inject: ("value", 1));
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "held").WaitAsync(Timeout);

        var page = await Fixture.NewPageAsync();
        await page.GotoAsync(Fixture.ReadOnlyUrl + "/runs/" + flowId);
        await Expect(page.Locator("#atoms tr[data-atom='held']")).ToHaveAttributeAsync("data-state", "RUNNING");
        await Expect(page.Locator(".badge.readonly")).ToBeVisibleAsync();
        await Expect(page.Locator("#actions")).ToHaveCountAsync(0);

        var post = await page.APIRequest.PostAsync(Fixture.ReadOnlyUrl + "/runs/" + flowId + "/cancel");
        Assert.Equal(403, post.Status);
        Assert.Contains("read-only", await post.TextAsync(), StringComparison.Ordinal);
        var confirm = await page.APIRequest.GetAsync(Fixture.ReadOnlyUrl + "/runs/" + flowId + "/confirm/cancel");
        Assert.Equal(403, confirm.Status);
        Assert.Equal(FlowState.Running, (await handle.GetStatusAsync()).State);

        TaskGates.Open(flowId, "held");
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(handle));
    }

    [SkippableFact]
    public async Task Overview_ShowsRunsByStateAndTheLatestFailures()
    {
        var flowId = NewFlowId("ov-bad");
        Assert.Equal(FlowState.Reverted, await WaitFinishedAsync(await StartAsync(Failing("overview-failing", "quota exceeded"), flowId)));

        var page = await OpenAsync("/");
        var reverted = page.Locator("#counts a[data-state='REVERTED'] .count");
        Assert.True(long.Parse(await reverted.InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        await Expect(page.Locator($".latest-failures tr[data-flow-id='{flowId}']")).ToContainTextAsync("quota exceeded");
        await ScreenshotAsync(page, "dashboard-overview");

        // Every run of the cluster (those of the other tests too), newest first.
        await page.GotoAsync(Fixture.Url + "/runs");
        await Expect(page.Locator($"#runs tr[data-flow-id='{flowId}']")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dashboard-runs");
    }
}
