using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary><see cref="FlowEngineOptions.MaxConcurrency"/> on the test cluster: the bound holds while the tasks run on several silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrencyTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    [Trait("TaskFlow", "engines/action_engine: parallel engine max_workers bounds the tasks running at once")]
    public async Task Run_ThirtyGatedTasksBoundToFive_NeverMoreThanFiveInsideExecute_AcrossSilos()
    {
        const int Count = 30;
        const int Bound = 5;
        var flowId = NewFlowId();
        var builder = Flow.Unordered("bounded");
        for (var i = 0; i < Count; i++)
        {
            builder.Add<GatedTask>($"t{i:00}", provides: $"v{i:00}", inject: ("value", i));
        }

        var handle = await StartAsync(builder.Build(new FlowEngineOptions { MaxConcurrency = Bound }), flowId);
        int Entered() => Enumerable.Range(0, Count).Sum(i => TaskGates.EntryCount(flowId, $"t{i:00}"));

        for (var i = 0; i < Bound; i++)
        {
            await TaskGates.WaitEnteredAsync(flowId, $"t{i:00}").WaitAsync(Timeout);
        }

        var first = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(Bound, first.Atoms.Count(a => a.State == AtomState.Running));
        Assert.Equal(Count - Bound, first.Atoms.Count(a => a.State == AtomState.Pending));
        Assert.Equal(Bound, Entered());

        // Each answer lets exactly one more in, in the order they became ready.
        for (var opened = 0; opened < Count; opened++)
        {
            TaskGates.Open(flowId, $"t{opened:00}");
            var next = opened + Bound;
            if (next < Count)
            {
                await TaskGates.WaitEnteredAsync(flowId, $"t{next:00}").WaitAsync(Timeout);
                Assert.Equal(next + 1, Entered());
            }
        }

        var result = await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(Count, result.Snapshot.Atoms.Count(a => a.State == AtomState.Success));
        Assert.True(result.Snapshot.Atoms.Select(a => a.RanOn).Distinct().Count() > 1,
            "The tasks should have run on more than one silo: " + string.Join(", ", result.Snapshot.Atoms.Select(a => a.RanOn).Distinct()));
    }
}
