using global::Orleans.Runtime;
using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>A run's graph through the client, read from its logbook without activating it; and watching a run from a snapshot.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GraphTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    /// <summary>first, then a graph pattern with its own retry (left → right by data, left → skipped by a decider that says no), then last.</summary>
    private static FlowDefinition Graphed() => Flow.Linear("graphed")
        .Add<EchoTask>("first", provides: "first", inject: ("value", 1))
        .Add(Flow.Graph("checks")
            .Add<EchoTask>("left", provides: "left", rebind: ("value", "first"))
            .Add<EchoTask>("right", provides: "right", rebind: ("value", "left"))
            .Add<EchoTask>("skipped", inject: ("value", 3))
            .Link("left", "skipped", decider: TestTaskRegistration.NeverDecider, depth: DeciderDepth.Atom)
            .WithRetry(Retry.Times(2, name: "checks-retry")))
        .Add<EchoTask>("last", inject: ("value", 4))
        .Build();

    [Fact]
    public async Task GetGraphAsync_RunWhoseGrainsAreGone_ReturnsItsCompiledGraphWithoutActivatingIt()
    {
        var flowId = NewFlowId();
        await RunAsync(Graphed(), flowId);
        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        var graph = await Client.GetGraphAsync(flowId).WaitAsync(Timeout);

        Assert.Equal("graphed", graph.FlowName);
        Assert.Equal(["first", "checks-retry", "left", "right", "skipped", "last"], graph.Nodes.Select(n => n.Name));
        Assert.Equal([0, 1, 2, 3, 4, 5], graph.Nodes.Select(n => n.AtomId));
        Assert.Equal(["graphed", "checks", "checks", "checks", "checks", "graphed"], graph.Nodes.Select(n => n.Cluster));
        Assert.Equal([false, true, false, false, false, false], graph.Nodes.Select(n => n.IsRetry));
        Assert.Equal(EchoTask.TaskName, graph.Nodes[0].TaskName);
        Assert.Equal("retry:times", graph.Nodes[1].TaskName);
        var right = graph.Nodes[3];
        Assert.Equal(["left"], right.Requires.ToArray());
        Assert.Equal(["right"], right.Provides.ToArray());
        Assert.Empty(graph.Nodes[4].Requires); // injected
        Assert.Equal<GraphCluster>(
            [
                new GraphCluster { Name = "graphed", Kind = PatternKind.Linear },
                new GraphCluster { Name = "checks", Kind = PatternKind.Graph, Parent = "graphed", Retry = "checks-retry" },
            ],
            graph.Clusters);
        Assert.Equal(
            ["first->checks-retry", "checks-retry->left", "left->right", "left->skipped?", "right->last", "skipped->last"],
            graph.Edges.Select(e => $"{e.From}->{e.To}{(e.HasDecider ? "?" : "")}"));

        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(flowId)).WaitAsync(Timeout));
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)StorageGrain(flowId)).WaitAsync(Timeout));

        // Drawn with the states the logbook holds (also read without activating the run): the skipped atom and its decider edge.
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        var svg = FlowGraphRenderer.ToSvg(graph, stored.Atoms.ToDictionary(a => a.Name, a => a.State));
        Assert.Contains("data-atom=\"skipped\" data-state=\"IGNORE\"", svg, StringComparison.Ordinal);
        Assert.Contains("data-atom=\"last\" data-state=\"SUCCESS\"", svg, StringComparison.Ordinal);
        Assert.Contains("data-from=\"left\" data-to=\"skipped\" data-decider=\"true\"", svg, StringComparison.Ordinal);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(flowId)).WaitAsync(Timeout));
    }

    [Fact]
    public async Task GetGraphAsync_UnknownRun_ThrowsFlowNotFoundException()
    {
        var flowId = NewFlowId();

        var missing = await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetGraphAsync(flowId).WaitAsync(Timeout));

        Assert.Equal(flowId, missing.FlowId);
    }

    [Fact]
    public async Task WatchAsync_FromASnapshotsEventSequence_YieldsOnlyTheChangesMadeAfterIt()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("watched")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<EchoTask>("after", provides: "after", inject: ("value", 3))
            .Build();
        var handle = await StartAsync(flow, flowId);
        var snapshot = await WaitForAsync(handle, s => s.Atom("gate").State == AtomState.Running, "gate RUNNING");
        Assert.True(snapshot.EventSequence >= 4, $"The snapshot shows 4 changes but its event sequence is {snapshot.EventSequence}.");

        TaskGates.Open(flowId, "gate");
        using var cancel = new CancellationTokenSource(Timeout);
        var trace = new List<string>();
        await foreach (var flowEvent in handle.WatchAsync(snapshot.EventSequence, cancel.Token))
        {
            if (flowEvent.Progress is null) // tasks report progress too; the changes are what this is about
            {
                trace.Add(flowEvent.ToString());
            }
        }

        Assert.Equal(["gate.t SUCCESS(G)", "after.t RUNNING", "after.t SUCCESS(3)", "watched.f SUCCESS"], trace);
    }
}
