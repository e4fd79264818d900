using global::Orleans.Runtime;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>The run index through the client: runs listed with their states, counts, failures and tags, filtered and paged,
/// without activating them. The cluster is shared, so each test lists only the runs it tags.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RunIndexTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static FlowDefinition Good() => Flow.Linear("indexed-good")
        .Add<EchoTask>("one", provides: "one", inject: ("value", 1))
        .Add<EchoTask>("two", provides: "two", inject: ("value", 2))
        .Build();

    private static FlowDefinition Bad() => Flow.Linear("indexed-bad")
        .Add<EchoTask>("first", provides: "first", inject: ("value", 1))
        .Add<FailingTask>("boom")
        .Build();

    private async Task<List<string>> RunTaggedAsync(string tag, string prefix, int good, int bad)
    {
        var ids = new List<string>();
        for (var i = 0; i < good + bad; i++)
        {
            var id = $"{prefix}-{i:D2}";
            ids.Add(id);
            var handle = await Client.StartAsync(i < good ? Good() : Bad(), options: new StartFlowOptions { FlowId = id, Tags = [tag, "index-tests"] })
                .WaitAsync(Timeout);
            try
            {
                await handle.GetResultAsync().WaitAsync(Timeout);
            }
            catch (FlowFailedException) when (i >= good)
            {
                // the bad ones end REVERTED
            }
        }

        return ids;
    }

    [Fact]
    public async Task ListFlowsAsync_ByTag_ListsEveryRunNewestFirstWithStatesCountsAndFailures()
    {
        var tag = "t-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await RunTaggedAsync(tag, NewFlowId(), good: 3, bad: 1);

        var page = await Client.ListFlowsAsync(new FlowQuery { Tag = tag }).WaitAsync(Timeout);

        Assert.Equal(4, page.Total);
        Assert.Null(page.Next);
        Assert.Equal(Enumerable.Reverse(ids), page.Flows.Select(f => f.FlowId));
        var good = page.Flows.Single(f => f.FlowId == ids[0]);
        Assert.Equal(FlowState.Success, good.State);
        Assert.Equal("indexed-good", good.FlowName);
        Assert.Equal(2, good.AtomCounts[AtomState.Success]);
        Assert.Null(good.FailureSummary);
        Assert.NotNull(good.FinishedAt);
        Assert.Equal(new[] { tag, "index-tests" }, good.Tags.ToArray());
        var bad = page.Flows.Single(f => f.FlowId == ids[3]);
        Assert.Equal(FlowState.Reverted, bad.State);
        Assert.Equal(2, bad.AtomCounts[AtomState.Reverted]);
        Assert.Contains("boom", bad.FailureSummary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFlowsAsync_FilteredAndPaged_ReturnsEachMatchOnceWithTheTotal()
    {
        var tag = "t-" + Guid.NewGuid().ToString("N")[..8];
        var prefix = NewFlowId();
        var ids = await RunTaggedAsync(tag, prefix, good: 4, bad: 1);

        var reverted = await Client.ListFlowsAsync(new FlowQuery { Tag = tag, States = [FlowState.Reverted] }).WaitAsync(Timeout);
        Assert.Equal([ids[4]], reverted.Flows.Select(f => f.FlowId));
        Assert.Equal(1, reverted.Total);

        var seen = new List<string>();
        var query = new FlowQuery { Tag = tag, PageSize = 2 };
        var pages = 0;
        do
        {
            var page = await Client.ListFlowsAsync(query).WaitAsync(Timeout);
            Assert.Equal(5, page.Total);
            seen.AddRange(page.Flows.Select(f => f.FlowId));
            pages++;
            query = query with { After = page.Next };
        }
        while (query.After is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        var byPrefix = await Client.ListFlowsAsync(new FlowQuery { IdPrefix = prefix + "-0" }).WaitAsync(Timeout);
        Assert.Equal(5, byPrefix.Total);
        var byName = await Client.ListFlowsAsync(new FlowQuery { Tag = tag, Name = "indexed-bad" }).WaitAsync(Timeout);
        Assert.Equal([ids[4]], byName.Flows.Select(f => f.FlowId));
    }

    [Fact]
    public async Task ListFlowsAsync_FinishedRunWhoseGrainsAreGone_ListsItWithoutActivatingIt()
    {
        var tag = "t-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await RunTaggedAsync(tag, NewFlowId(), good: 1, bad: 0);
        await DeactivateAsync(FlowGrain(ids[0]), StorageGrain(ids[0]));

        var page = await Client.ListFlowsAsync(new FlowQuery { Tag = tag }).WaitAsync(Timeout);

        Assert.Equal(FlowState.Success, Assert.Single(page.Flows).State);
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(ids[0])).WaitAsync(Timeout));
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)StorageGrain(ids[0])).WaitAsync(Timeout));
    }

    [Fact]
    public async Task GetStoredSnapshotAsync_RunWhoseGrainsAreGone_ReadsTheLogbookWithoutActivatingIt()
    {
        var tag = "t-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await RunTaggedAsync(tag, NewFlowId(), good: 0, bad: 1);
        await DeactivateAsync(FlowGrain(ids[0]), StorageGrain(ids[0]));

        var stored = await Client.GetStoredSnapshotAsync(ids[0]).WaitAsync(Timeout);

        Assert.Equal(Snapshots.SnapshotSource.Logbook, stored.Source);
        Assert.Equal(FlowState.Reverted, stored.State);
        Assert.Equal(AtomState.Reverted, stored.Atom("boom").State);
        var failure = stored.Atom("boom").Failure;
        Assert.NotNull(failure);
        Assert.False(string.IsNullOrEmpty(failure.StackTrace));
        Assert.Equal(1, stored.Results["first"]);
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(ids[0])).WaitAsync(Timeout));
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)StorageGrain(ids[0])).WaitAsync(Timeout));

        var live = await Client.GetFlowHandle(ids[0]).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(Snapshots.SnapshotSource.Engine, live.Source);
        Assert.Equal(stored.Atoms.Select(a => (a.Name, a.State)), live.Atoms.Select(a => (a.Name, a.State)));
    }

    [Fact]
    public async Task GetStoredSnapshotAsync_FinishedRunWithARetry_AgreesWithTheEngineOnInputsTagsArgumentsAndHistory()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("detailed")
            .Add<EchoTask>("first", provides: "first", inject: ("value", 5))
            .Add(Flow.Linear("guarded")
                .WithRetry(Retry.Times(3, name: "r1", provides: "attempt"))
                .Add(TestTaskRegistration.FailUntilTask, "flaky", provides: "succeeded-at"))
            .Add<AdderTask>("add", provides: "sum", rebind: [("x", "first"), ("y", "bonus")])
            .Build();
        var inputs = new FlowInputs { ["succeedAt"] = 2L, ["bonus"] = 7 };
        var handle = await Client.StartAsync(flow, inputs,
            new StartFlowOptions { FlowId = flowId, Tags = ["detail", "nightly"], Durability = Definitions.Durability.Relaxed }).WaitAsync(Timeout);
        await handle.GetResultAsync().WaitAsync(Timeout);

        var engine = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);

        SnapshotAssert.Same(engine, stored);
        Assert.Equal(Snapshots.SnapshotSource.Engine, engine.Source);
        Assert.Equal(Snapshots.SnapshotSource.Logbook, stored.Source);
        Assert.Equal(2L, stored.Inputs["succeedAt"]);
        Assert.Equal(7, stored.Inputs["bonus"]);
        Assert.Equal(["detail", "nightly"], stored.Tags.ToArray());
        Assert.Equal(Definitions.Durability.Relaxed, stored.Durability);
        Assert.NotNull(stored.UpdatedAt);
        Assert.True(stored.UpdatedAt >= stored.CreatedAt);
        Assert.False(string.IsNullOrEmpty(stored.Silo));

        var first = stored.Atom("first");
        Assert.Equal((1, 1, false), (first.Attempt, first.Calls, first.IsRetry));
        Assert.Equal(5, first.Arguments["value"]);
        Assert.Empty(first.Requires); // an injected value is not a requirement
        Assert.Equal(["first"], first.Provides.ToArray());
        Assert.Null(first.RetryHistory);

        // The flaky task failed once, was reverted, and succeeded on the retry's second attempt.
        var flaky = stored.Atom("flaky");
        Assert.Equal((2, 3), (flaky.Attempt, flaky.Calls));
        Assert.Equal(2L, Convert.ToInt64(flaky.Arguments["attempt"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2L, flaky.Arguments["succeedAt"]);
        Assert.Equal(["attempt", "succeedAt"], flaky.Requires.Order());

        var retry = stored.Atom("r1");
        Assert.True(retry.IsRetry);
        var history = Assert.IsType<Retries.RetryHistory>(retry.RetryHistory);
        Assert.Equal(2, history.Count);
        Assert.Contains("Attempt 1 fails", history[0].Failures["flaky"].Message, StringComparison.Ordinal);
        Assert.Empty(history[1].Failures);

        var add = stored.Atom("add");
        Assert.Equal(5, add.Arguments["x"]);
        Assert.Equal(7, add.Arguments["y"]);
        Assert.Equal(["bonus", "first"], add.Requires.Order());
        Assert.Equal(["sum"], add.Provides.ToArray());
    }

    [Fact]
    public async Task GetStoredSnapshotAsync_RunningRun_ShowsArgumentsOnlyOfAtomsWhoseValuesAreStored()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("half-way")
            .Add<GatedTask>("wait", provides: "waited", inject: ("value", 3))
            .Add<AdderTask>("add", provides: "sum", rebind: [("x", "waited"), ("y", "waited")])
            .Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);

        var running = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);

        Assert.Equal(3, running.Atom("wait").Arguments["value"]);
        Assert.Equal(1, running.Atom("wait").Attempt);
        Assert.Equal(0, running.Atom("wait").Calls);
        Assert.Empty(running.Atom("add").Arguments); // "waited" is not stored yet
        Assert.Equal(0, running.Atom("add").Attempt);
        TaskGates.Open(flowId, "wait");
        await handle.GetResultAsync().WaitAsync(Timeout);
        var done = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        Assert.Equal(3, done.Atom("add").Arguments["x"]);
    }

    [Fact]
    public async Task GetStoredSnapshotAsync_UnknownRun_ThrowsFlowNotFoundException()
    {
        var flowId = NewFlowId();

        var missing = await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout));

        Assert.Equal(flowId, missing.FlowId);
    }

    [Fact]
    public async Task CountByStateAsync_AfterRunsFinish_CountsThemByState()
    {
        var before = await Client.CountByStateAsync().WaitAsync(Timeout);
        await RunTaggedAsync("t-" + Guid.NewGuid().ToString("N")[..8], NewFlowId(), good: 2, bad: 1);

        var after = await Client.CountByStateAsync().WaitAsync(Timeout);

        // Other tests run flows in the same cluster meanwhile: these at least were added.
        Assert.True(after.GetValueOrDefault(FlowState.Success) >= before.GetValueOrDefault(FlowState.Success) + 2);
        Assert.True(after.GetValueOrDefault(FlowState.Reverted) >= before.GetValueOrDefault(FlowState.Reverted) + 1);
    }

    [Theory]
    [InlineData(0, null, "PageSize")]
    [InlineData(1001, null, "PageSize")]
    [InlineData(10, "not-a-token", "After")]
    public async Task ListFlowsAsync_BadQuery_IsRefusedNamingTheParameter(int pageSize, string? after, string parameter)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Client.ListFlowsAsync(new FlowQuery { PageSize = pageSize, After = after }));

        Assert.Equal(parameter, refused.ParamName);
        Assert.Contains($"FlowQuery.{parameter}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData(" ")]
    public async Task StartAsync_BadTag_IsRefusedNamingItAndStoresNothing(string tag)
    {
        var flowId = NewFlowId();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.StartAsync(Good(), options: new StartFlowOptions { FlowId = flowId, Tags = [tag] }).WaitAsync(Timeout));

        Assert.Contains("StartFlowOptions.Tags", refused.Message, StringComparison.Ordinal);
        Assert.Null(await StorageGrain(flowId).OpenAsync().WaitAsync(Timeout));
    }
}
