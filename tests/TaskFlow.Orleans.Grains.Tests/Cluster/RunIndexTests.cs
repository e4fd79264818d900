using global::Orleans.Runtime;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
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
