using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Durability;

/// <summary>The cluster view when a silo has left: it is still listed, with the status membership gives it.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ClusterViewFaultTests(FaultClusterFixture fixture) : FaultTest(fixture)
{
    [Fact]
    public async Task GetClusterAsync_SiloStopped_ListsItDeadWithoutItsRegistrationsAndTheOthersActive()
    {
        try
        {
            var primary = Cluster.Primary!;
            var leaving = Cluster.GetActiveSilos().First(silo => !silo.SiloAddress.Equals(primary.SiloAddress));
            await Cluster.StopSiloAsync(leaving).WaitAsync(Timeout);

            var view = await WaitListedDeadAsync(leaving.SiloAddress);

            var dead = Assert.Single(view.Silos, s => s.Address == leaving.SiloAddress.ToString());
            Assert.NotNull(dead.StartedAt);
            Assert.Null(dead.ActiveFlows);
            Assert.Empty(dead.Tasks);
            Assert.Empty(dead.Factories);
            var alive = Assert.Single(view.Silos, s => s.Address == primary.SiloAddress.ToString());
            Assert.Equal("Active", alive.Status);
            Assert.Contains(EchoTask.TaskName, alive.Tasks);
            Assert.Same(alive, view.Silos[0]); // active silos come first

            // The catalog comes from the silos that are left.
            var catalog = await Client.GetCatalogAsync().WaitAsync(Timeout);
            Assert.Contains(catalog.Tasks, t => t.Name == EchoTask.TaskName);
        }
        finally
        {
            await RestoreSiloCountAsync();
        }
    }
}
