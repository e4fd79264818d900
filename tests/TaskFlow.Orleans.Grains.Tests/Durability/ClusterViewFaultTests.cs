using TaskFlow.Orleans.Testing.Tasks;
using ClusterView = TaskFlow.Orleans.Cluster.ClusterView;

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

            // Membership marks a silo that left Dead shortly after it stops: polled with a deadline.
            var deadline = DateTime.UtcNow + Timeout;
            ClusterView view;
            while (true)
            {
                view = await Client.GetClusterAsync().WaitAsync(Timeout);
                if (view.Silos.Any(s => s.Address == leaving.SiloAddress.ToString() && s.Status == "Dead"))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline,
                    $"Silo {leaving.SiloAddress} is not listed Dead: {string.Join(", ", view.Silos.Select(s => $"{s.Address}={s.Status}"))}");
                await Task.Delay(20); // a deadline-bounded poll of the condition above, not a wait for time to pass
            }

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
