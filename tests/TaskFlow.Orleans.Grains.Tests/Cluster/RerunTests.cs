using global::Orleans.Runtime;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Re-running a stored run: a new run with the same definition, inputs, durability and tags, read from the stored
/// run's logbook without waking it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RerunTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static string ShortId() => "rr-" + Guid.NewGuid().ToString("N");

    private static FlowDefinition Reverting() => Flow.Linear("rerun-reverting")
        .Add<EchoTask>("first", provides: "first", rebind: ("value", "seed"))
        .Add<FailingTask>("boom")
        .Build();

    [Fact]
    public async Task RerunAsync_RevertedRun_StartsANewRunWithTheSameInputsTagsAndDurabilityAndItsOwnState()
    {
        var original = ShortId();
        var inputs = new FlowInputs { ["seed"] = 41, ["unused"] = "kept" };
        await Assert.ThrowsAsync<FlowFailedException>(() => Client.RunAsync(Reverting(), inputs,
            new StartFlowOptions { FlowId = original, Tags = ["team-a", "nightly"], Durability = Definitions.Durability.Relaxed }).WaitAsync(Timeout));
        var before = await Client.GetStoredSnapshotAsync(original).WaitAsync(Timeout);
        await DeactivateAsync(FlowGrain(original), StorageGrain(original));

        var handle = await Client.RerunAsync(original).WaitAsync(Timeout);
        var failed = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));

        Assert.NotEqual(original, handle.FlowId);
        Assert.Equal(FlowState.Reverted, failed.State);
        var rerun = await Client.GetStoredSnapshotAsync(handle.FlowId).WaitAsync(Timeout);
        Assert.Equal(handle.FlowId, rerun.FlowId);
        Assert.Equal("rerun-reverting", rerun.FlowName);
        SnapshotAssert.SameValues(before.Inputs, rerun.Inputs);
        Assert.Equal(["team-a", "nightly", "rerun-of:" + original], rerun.Tags.ToArray());
        Assert.Equal(Definitions.Durability.Relaxed, rerun.Durability);
        Assert.True(rerun.CreatedAt >= before.CreatedAt);
        Assert.Equal(AtomState.Reverted, rerun.Atom("boom").State);
        Assert.Equal(41, rerun.Atom("first").Arguments["value"]);
        // The new run ran its own tasks; the stored run was read, not woken, and is as it was.
        Assert.Single(TaskJournal.For(handle.FlowId), e => e.AtomName == "first" && e.Action == TaskAction.Execute);
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(original)).WaitAsync(Timeout));
        SnapshotAssert.Same(before, await Client.GetStoredSnapshotAsync(original).WaitAsync(Timeout));
    }

    [Fact]
    public async Task RerunAsync_WithOptions_UsesTheGivenIdTagsAndDurabilityAndKeepsTheFactory()
    {
        var original = ShortId();
        await Client.RunAsync(TestTaskRegistration.AddThenMultiplyFlow, new FlowInputs { ["x"] = 2, ["y"] = 3 },
            new StartFlowOptions { FlowId = original, Tags = ["batch"] }).WaitAsync(Timeout);
        var first = await Client.RerunAsync(original).WaitAsync(Timeout);
        await first.GetResultAsync().WaitAsync(Timeout);
        var wanted = ShortId();

        // A re-run of a re-run names the run it repeats, not the first one.
        var handle = await Client.RerunAsync(first.FlowId,
            new StartFlowOptions { FlowId = wanted, Tags = ["manual"], Durability = Definitions.Durability.Relaxed }).WaitAsync(Timeout);
        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal(wanted, handle.FlowId);
        Assert.Equal(15, result.Get<int>("product"));
        var snapshot = result.Snapshot;
        Assert.Equal(TestTaskRegistration.AddThenMultiplyFlow, snapshot.FactoryName);
        Assert.Equal(["batch", "manual", "rerun-of:" + first.FlowId], snapshot.Tags.ToArray());
        Assert.Equal(Definitions.Durability.Relaxed, snapshot.Durability);
    }

    [Fact]
    public async Task RerunAsync_UnknownRun_ThrowsFlowNotFoundException()
    {
        var flowId = ShortId();

        var missing = await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.RerunAsync(flowId).WaitAsync(Timeout));

        Assert.Equal(flowId, missing.FlowId);
    }

    [Fact]
    public async Task RerunAsync_NewIdTaken_ThrowsFlowAlreadyExistsException()
    {
        var original = ShortId();
        await Client.RunAsync(TestTaskRegistration.AddThenMultiplyFlow, new FlowInputs { ["x"] = 1, ["y"] = 1 },
            Id(original)).WaitAsync(Timeout);

        await Assert.ThrowsAsync<FlowAlreadyExistsException>(() => Client.RerunAsync(original, Id(original)).WaitAsync(Timeout));
    }
}
