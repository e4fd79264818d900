using global::Orleans.Runtime;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Retention;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Retention;

/// <summary>Bulk purges through the client (<see cref="ITaskFlowClient.PurgeFinishedAsync"/>) and the retention sweeper's
/// schedule, on a cluster with a store of its own.</summary>
[Collection(RetentionCollection.Name)]
public sealed class BulkPurgeTests(RetentionClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ITaskFlowClient Client => fixture.Client;

    private static FlowDefinition Simple() => Flow.Linear("bulk-purged")
        .Add<EchoTask>("one", provides: "one", inject: ("value", 1))
        .Build();

    private async Task<string> RunToSuccessAsync(string tag)
    {
        var flowId = $"bulk-{tag}-{Guid.NewGuid():N}";
        await Client.RunAsync(Simple(), null, new StartFlowOptions { FlowId = flowId, Tags = [tag] }).WaitAsync(Timeout);
        return flowId;
    }

    [Fact]
    public async Task PurgeFinishedAsync_BeforeACutoff_DeletesThoseRunsEverywhereAndEnginesForgetThem_LaterRunsStay()
    {
        var oldTag = "old-" + Guid.NewGuid().ToString("N")[..8];
        var old = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            old.Add(await RunToSuccessAsync(oldTag)); // each engine stays active, holding its finished run
        }

        var cutoff = (await Client.ListFlowsAsync(new FlowQuery { Tag = oldTag }).WaitAsync(Timeout)).Flows.Max(f => f.FinishedAt!.Value).AddTicks(10);
        var later = await RunToSuccessAsync("later-" + Guid.NewGuid().ToString("N")[..8]);
        var laterFinished = (await Client.GetStoredSnapshotAsync(later).WaitAsync(Timeout)).FinishedAt!.Value;
        Assert.True(laterFinished >= cutoff, "the later run finished after the cutoff");

        var dryRun = await Client.PurgeFinishedAsync(new PurgeQuery { FinishedBefore = cutoff, DryRun = true }).WaitAsync(Timeout);
        Assert.True(dryRun.DryRun);
        Assert.True(dryRun.Count >= old.Count); // earlier tests of this collection may have left finished runs too
        foreach (var id in old)
        {
            Assert.NotNull(await RetentionClusterFixture.Store.ReadAsync(id)); // nothing deleted
        }

        var purged = await Client.PurgeFinishedAsync(new PurgeQuery { FinishedBefore = cutoff, BatchSize = 2 }).WaitAsync(Timeout);

        Assert.False(purged.DryRun);
        Assert.Equal(dryRun.Count, purged.Count);
        Assert.Equal(dryRun.OldestFinishedAt, purged.OldestFinishedAt);
        foreach (var id in old)
        {
            Assert.Null(await RetentionClusterFixture.Store.ReadAsync(id));
            // The engine that was still active forgot the run rather than answering from memory.
            await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetFlowHandle(id).GetStatusAsync().WaitAsync(Timeout));
            Assert.Null(await RetentionClusterFixture.Store.ReadAsync(id)); // asking did not bring it back
        }

        Assert.Equal(0, (await Client.ListFlowsAsync(new FlowQuery { Tag = oldTag }).WaitAsync(Timeout)).Total);
        Assert.Equal(FlowState.Success, (await Client.GetFlowHandle(later).GetStatusAsync().WaitAsync(Timeout)).State);
        Assert.NotNull(await RetentionClusterFixture.Store.ReadAsync(later));

        // The id of a purged run is free again.
        var again = await Client.RunAsync(Simple(), null, new StartFlowOptions { FlowId = old[0] }).WaitAsync(Timeout);
        Assert.Equal(1, again.Get<int>("one"));
    }

    [Theory]
    [InlineData(FlowState.Suspended)]
    [InlineData(FlowState.Running)]
    public async Task PurgeFinishedAsync_AnUnfinishedState_IsRefusedNamingItAndDeletesNothing(FlowState state)
    {
        var flowId = await RunToSuccessAsync("refused");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Client.PurgeFinishedAsync(
            new PurgeQuery { FinishedBefore = DateTimeOffset.UtcNow.AddDays(1), States = [FlowState.Success, state] }).WaitAsync(Timeout));

        Assert.Contains(StateNames.Of(state), refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await RetentionClusterFixture.Store.ReadAsync(flowId));
    }

    [Fact]
    public async Task PurgeFinishedAsync_ABatchSizeOutOfRange_IsRefusedNamingTheRange()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Client.PurgeFinishedAsync(
            new PurgeQuery { FinishedBefore = DateTimeOffset.UtcNow, BatchSize = 0 }).WaitAsync(Timeout));

        Assert.Contains($"from 1 to {PurgeQuery.MaxBatchSize}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionGrain_OnASilo_IsScheduledByDefault_AndClientsCannotCallIt()
    {
        var silo = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().ServiceProvider;

        Assert.True(await silo.GetRequiredService<IGrainFactory>().GetGrain<IRetentionGrain>(0).EnsureScheduledAsync().WaitAsync(Timeout));

        await Assert.ThrowsAsync<InternalGrainAccessException>(
            () => fixture.Cluster.Client.GetGrain<IRetentionGrain>(0).EnsureScheduledAsync().WaitAsync(Timeout));
    }
}
