using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Tasks that require a capability run only on silos that advertise it (TaskFlow's worker topics).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task RunAsync_TasksRequiringACapability_RunOnlyOnTheSiloThatAdvertisesIt()
    {
        var flowId = NewFlowId();
        var wide = Flow.Unordered("routed");
        for (var i = 0; i < 30; i++)
        {
            wide.Add(TestTaskRegistration.GpuTask, $"gpu-{i}", provides: $"out-{i}", inject: ("value", (long)i));
        }

        var result = await RunAsync(wide.Build(), flowId);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(58L, result.Get<long>("out-29"));
        var silos = result.Snapshot.Atoms.Select(a => a.RanOn).Distinct().ToList();
        Assert.Single(silos);
        Assert.NotNull(silos[0]);
    }

    [Fact]
    public async Task RunAsync_TaskWhoseCapabilityNoSiloHas_FailsClearlyInsteadOfHanging()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("unroutable")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add(TestTaskRegistration.QuantumTask, "quantum", inject: ("value", 1L))
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Contains("No silo advertises capability 'quantum'", exception.Failure!.Message);
    }
}
