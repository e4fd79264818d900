using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Purging finished runs: gone from the logbook, the run index and the grains; unfinished runs are refused.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PurgeTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static FlowDefinition Simple() => Flow.Linear("purged")
        .Add<EchoTask>("one", provides: "one", inject: ("value", 1))
        .Add<EchoTask>("two", provides: "two", inject: ("value", 2))
        .Build();

    [Fact]
    public async Task PurgeAsync_FinishedRunWithActiveEngine_DeletesItEverywhereAndTheEngineForgetsIt()
    {
        var tag = "p-" + Guid.NewGuid().ToString("N")[..8];
        var flowId = NewFlowId();
        var handle = await Client.StartAsync(Simple(), options: new StartFlowOptions { FlowId = flowId, Tags = [tag] }).WaitAsync(Timeout);
        await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, (await handle.GetStatusAsync().WaitAsync(Timeout)).State); // the engine is active

        Assert.True(await Client.PurgeAsync(flowId).WaitAsync(Timeout));

        Assert.Null(await TestSiloConfigurator.Store.ReadAsync(flowId));
        Assert.Equal(0, (await Client.ListFlowsAsync(new FlowQuery { Tag = tag }).WaitAsync(Timeout)).Total);
        await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => handle.GetStatusAsync().WaitAsync(Timeout));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => handle.GetSnapshotAsync().WaitAsync(Timeout));
        Assert.Null(await TestSiloConfigurator.Store.ReadAsync(flowId)); // asking did not bring it back
        Assert.False(await Client.PurgeAsync(flowId).WaitAsync(Timeout));

        // The id is free again.
        var again = await RunAsync(Simple(), flowId);
        Assert.Equal(2, again.Get<int>("two"));
    }

    [Fact]
    public async Task PurgeAsync_RevertedRunWhoseGrainsAreGone_DeletesIt()
    {
        var flowId = NewFlowId();
        await RunFailingAsync(Flow.Linear("purged-reverted").Add<EchoTask>("one", inject: ("value", 1)).Add<FailingTask>("boom").Build(), flowId);
        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        Assert.True(await Client.PurgeAsync(flowId).WaitAsync(Timeout));

        Assert.Null(await TestSiloConfigurator.Store.ReadAsync(flowId));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetFlowHandle(flowId).GetStatusAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task PurgeAsync_RunningRun_ThrowsFlowNotFinishedExceptionAndTheRunCarriesOn()
    {
        var flowId = NewFlowId();
        var handle = await StartAsync(Flow.Linear("not-yet").Add<GatedTask>("wait", provides: "waited", inject: ("value", 9)).Build(), flowId);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);

        var refused = await Assert.ThrowsAsync<FlowNotFinishedException>(() => Client.PurgeAsync(flowId).WaitAsync(Timeout));

        Assert.Equal(flowId, refused.FlowId);
        Assert.Equal(FlowState.Running, refused.State);
        Assert.Contains(flowId, refused.Message, StringComparison.Ordinal);
        Assert.Contains("RUNNING", refused.Message, StringComparison.Ordinal);
        Assert.Contains("cancel", refused.Message, StringComparison.OrdinalIgnoreCase);
        TaskGates.Open(flowId, "wait");
        Assert.Equal(9, (await handle.GetResultAsync().WaitAsync(Timeout)).Get<int>("waited"));
        Assert.NotNull(await TestSiloConfigurator.Store.ReadAsync(flowId));
    }

    [Fact]
    public async Task PurgeAsync_SuspendedRun_ThrowsFlowNotFinishedExceptionSayingResumeOrCancel()
    {
        var flowId = NewFlowId();
        var handle = await StartAsync(Flow.Linear("suspended")
            .Add<GatedTask>("wait", inject: ("value", 1))
            .Add<EchoTask>("after", inject: ("value", 2))
            .Build(), flowId);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);
        await handle.SuspendAsync().WaitAsync(Timeout);
        TaskGates.Open(flowId, "wait");
        await WaitForAsync(handle, s => s.State == FlowState.Suspended, "SUSPENDED");

        var refused = await Assert.ThrowsAsync<FlowNotFinishedException>(() => Client.PurgeAsync(flowId).WaitAsync(Timeout));

        Assert.Equal(FlowState.Suspended, refused.State);
        Assert.Contains("Resume", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await TestSiloConfigurator.Store.ReadAsync(flowId));
        await handle.CancelAsync().WaitAsync(Timeout);
        await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));
        Assert.True(await Client.PurgeAsync(flowId).WaitAsync(Timeout));
    }

    [Fact]
    public async Task PurgeAsync_UnknownRun_ReturnsFalse()
    {
        Assert.False(await Client.PurgeAsync(NewFlowId()).WaitAsync(Timeout));
    }
}
