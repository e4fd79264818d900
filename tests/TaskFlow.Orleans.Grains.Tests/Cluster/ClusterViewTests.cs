using TaskFlow.Orleans.Cluster;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>The cluster as operators see it: silos from membership with what each registers and runs, and the catalog of
/// what can be started.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterViewTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task GetClusterAsync_SharedCluster_ListsThreeActiveSilosEachWithItsTasksAndFactories()
    {
        var cluster = await Client.GetClusterAsync().WaitAsync(Timeout);

        Assert.Equal(ClusterFixture.SiloCount, cluster.Silos.Length);
        Assert.Equal(ClusterFixture.SiloCount, cluster.Silos.Select(s => s.Address).Distinct().Count());
        foreach (var silo in cluster.Silos)
        {
            Assert.Equal("Active", silo.Status);
            Assert.False(string.IsNullOrEmpty(silo.Name));
            Assert.NotNull(silo.StartedAt);
            Assert.NotNull(silo.ActiveFlows);
            Assert.Contains(EchoTask.TaskName, silo.Tasks);
            Assert.Contains(TestTaskRegistration.GpuTask, silo.Tasks);
            Assert.Equal(silo.Tasks.Order(StringComparer.Ordinal), silo.Tasks);
            Assert.Contains(TestTaskRegistration.AddThenMultiplyFlow, silo.Factories);
        }

        // Only the first silo advertises "gpu" (TestSiloConfigurator).
        var gpu = Assert.Single(cluster.Silos, s => !s.Capabilities.IsEmpty);
        Assert.Equal([TestSiloConfigurator.GpuCapability], gpu.Capabilities.ToArray());
    }

    [Fact]
    public async Task GetClusterAsync_WhileARunWaits_CountsItOnTheSiloWhoseEngineDrivesIt()
    {
        var flowId = NewFlowId();
        var handle = await StartAsync(Flow.Linear("counted").Add<GatedTask>("wait").Build(), flowId);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);
        var silo = (await handle.GetSnapshotAsync().WaitAsync(Timeout)).Silo;

        var during = Assert.Single((await Client.GetClusterAsync().WaitAsync(Timeout)).Silos, s => s.Address == silo);
        Assert.True(during.ActiveFlows >= 1, $"Silo {silo} drives run {flowId} but counts {during.ActiveFlows} active runs.");

        TaskGates.Open(flowId, "wait");
        await handle.GetResultAsync().WaitAsync(Timeout);
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var after = Assert.Single((await Client.GetClusterAsync().WaitAsync(Timeout)).Silos, s => s.Address == silo);
            if (after.ActiveFlows < during.ActiveFlows)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Silo {silo} still counts {after.ActiveFlows} active runs after run {flowId} finished.");
            await Task.Delay(20); // a deadline-bounded poll of the condition above, not a wait for time to pass
        }
    }

    [Fact]
    public async Task GetCatalogAsync_SharedCluster_DescribesFactoriesAndTasks()
    {
        var catalog = await Client.GetCatalogAsync().WaitAsync(Timeout);

        var factory = Assert.Single(catalog.Factories, f => f.Name == TestTaskRegistration.AddThenMultiplyFlow);
        Assert.Equal(TestTaskRegistration.AddThenMultiplyDescription, factory.Description);
        Assert.Equal(["x", "y"], factory.Requires.ToArray());
        Assert.Equal(["product", "sum"], factory.Provides.ToArray());
        // A factory that throws is still listed, without what it would need and give.
        var broken = Assert.Single(catalog.Factories, f => f.Name == TestTaskRegistration.BrokenFactoryFlow);
        Assert.Null(broken.Description);
        Assert.Empty(broken.Requires);
        Assert.Empty(broken.Provides);
        Assert.Equal(catalog.Factories.Select(f => f.Name).Order(StringComparer.Ordinal), catalog.Factories.Select(f => f.Name));

        var add = Assert.Single(catalog.Tasks, t => t.Name == AdderTask.TaskName);
        Assert.Equal(["x", "y"], add.Requires.ToArray());
        Assert.Empty(add.Optional);
        Assert.Empty(add.Capabilities);
        var fail = Assert.Single(catalog.Tasks, t => t.Name == FailingTask.TaskName);
        Assert.Equal(["failMessage", "failWith"], fail.Optional.Order().ToArray());
        Assert.Equal([TestSiloConfigurator.GpuCapability], Assert.Single(catalog.Tasks, t => t.Name == TestTaskRegistration.GpuTask).Capabilities.ToArray());
        Assert.Equal(["quantum"], Assert.Single(catalog.Tasks, t => t.Name == TestTaskRegistration.QuantumTask).Capabilities.ToArray());
        Assert.Equal(catalog.Tasks.Select(t => t.Name).Distinct().Count(), catalog.Tasks.Length);
    }
}
