using global::Orleans.GrainDirectory;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Durability;

/// <summary>
/// A silo's death must not give a run that another silo drives a second engine. With Orleans' default, eventually consistent
/// grain directory, the silos deactivate every activation whose directory entry the dead silo held, and a second engine then
/// rebuilt the run while the first had already re-dispatched a task whose executor died: the task ran three times (seen in
/// the 3-silo kill test under load). TaskFlow keeps its run grains in a strongly consistent directory, which recovers the
/// dead silo's entries from the live silos instead.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class SiloLossTests(FaultClusterFixture fixture) : FaultTest(fixture)
{
    /// <summary>Enough runs that some of their directory entries are on the killed silo (about half of them on 2 silos).</summary>
    private const int Runs = 16;

    /// <summary>a (1) → b (gated, "B") → c ("C").</summary>
    private static FlowDefinition GatedChain() => Flow.Linear("gated-chain")
        .Add<EchoTask>("a", provides: "a", inject: ("value", 1))
        .Add<GatedTask>("b", provides: "b", inject: ("value", "B"))
        .Add<EchoTask>("c", provides: "c", inject: ("value", "C"))
        .Build();

    [Fact]
    public void AddTaskFlow_EverySilo_UsesTheStronglyConsistentDirectoryByDefault()
    {
        foreach (var silo in Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
        {
            var directory = silo.ServiceProvider.GetKeyedService<IGrainDirectory>(GrainDirectoryAttribute.DEFAULT_GRAIN_DIRECTORY);
            Assert.Equal("DistributedGrainDirectory", directory?.GetType().Name);
        }
    }

    [Fact]
    public async Task KillSilo_RunsDrivenByAnotherSilo_KeepTheirEngineAndRunNoTaskMoreThanTwice()
    {
        try
        {
            var primary = Cluster.Primary!;
            var victim = Cluster.GetActiveSilos().First(silo => !silo.SiloAddress.Equals(primary.SiloAddress));
            var handles = new List<FlowHandle>();
            for (var i = 0; i < Runs; i++)
            {
                var flowId = await FlowIdHostedOnAsync(primary.SiloAddress, nameof(KillSilo_RunsDrivenByAnotherSilo_KeepTheirEngineAndRunNoTaskMoreThanTwice));
                handles.Add(await StartAsync(GatedChain(), flowId));
            }

            foreach (var handle in handles)
            {
                await TaskGates.WaitEnteredAsync(handle.FlowId, "b").WaitAsync(Timeout);
                Assert.Equal(Identity(primary), await StoredSiloAsync(handle.FlowId));
            }

            var victimIdentity = Identity(victim);
            var killedAt = DateTimeOffset.UtcNow;
            await Cluster.KillSiloAsync(victim).WaitAsync(Timeout);
            Store.RefuseWritesFrom(victimIdentity); // its in-process remains never write again, as a dead process would not
            await WaitListedDeadAsync(victim.SiloAddress);

            // Every run answers while b still waits: the engine that answers is the one that started it.
            foreach (var handle in handles)
            {
                var snapshot = await WaitForAsync(handle, s => s.Atom("b").State == AtomState.Running, "b running after the kill");
                Assert.Equal(FlowState.Running, snapshot.State);
            }

            foreach (var handle in handles)
            {
                TaskGates.Open(handle.FlowId, "b");
            }

            foreach (var handle in handles)
            {
                var snapshot = await FinishedAsync(handle);
                Assert.Equal(FlowState.Success, snapshot.State);
                Assert.Equal("C", snapshot.Results["c"]);
                var flowStates = RecordingListener.For(handle.FlowId).Select(c => c.Event.FlowState).OfType<FlowState>().ToList();
                Assert.False(flowStates.Contains(FlowState.Resuming),
                    $"Run {handle.FlowId} was rebuilt by a second engine: {string.Join(", ", RecordingListener.For(handle.FlowId).Select(c => c.Event.ToString()))}");
                Assert.Equal(Identity(primary), await StoredSiloAsync(handle.FlowId));
                // A killed process runs nothing more, but this one lives on inside the test process and finishes what it
                // holds when the gates open (b's first execution, and a dispatch that reached it while it was being killed):
                // those are left out, as a dead silo's would be. What is left is what a real cluster would have run.
                var real = TaskJournal.Executes(handle.FlowId).Where(e => e.Silo != victimIdentity || e.Timestamp < killedAt).ToList();
                string Journal() => string.Join("; ", TaskJournal.Executes(handle.FlowId).Select(e => $"{e.AtomName} ended {e.Timestamp:HH:mm:ss.fff} on {e.Silo}"));
                Assert.True(real.Count(e => e.AtomName == "a") == 1 && real.Count(e => e.AtomName == "c") == 1,
                    $"Run {handle.FlowId}: a and c must run once; killed {victimIdentity} at {killedAt:HH:mm:ss.fff}; journal: {Journal()}");
                // b started before the kill; it ran once more, on the live silo, only if its executor was on the killed one.
                Assert.True(real.Count(e => e.AtomName == "b") <= 1,
                    $"Run {handle.FlowId}: b ran again more than once on the live silo; killed {victimIdentity} at {killedAt:HH:mm:ss.fff}; journal: {Journal()}");
                Assert.Single(TaskJournal.Executes(handle.FlowId).Where(e => e.AtomName == "b").Select(e => e.ExecutionId).Distinct());
                AssertNoRerunOfRecordedOutcome(handle.FlowId, snapshot, real);
            }
        }
        finally
        {
            await RestoreSiloCountAsync();
        }
    }
}
