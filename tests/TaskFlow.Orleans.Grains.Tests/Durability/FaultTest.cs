using DurabilityMode = TaskFlow.Orleans.Definitions.Durability;
using System.Runtime.CompilerServices;
using global::Orleans.Runtime;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Faults;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Grains.Tests.Durability;

/// <summary>
/// What the fault tests share: the fault cluster's client and store, waits that always end (polled with a deadline, never
/// slept for; calls that fail while a fault is on are retried until the deadline), and the durability assertions.
/// </summary>
public abstract class FaultTest(FaultClusterFixture fixture)
{
    /// <summary>The longest any single wait in a test may take.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected FaultClusterFixture Fixture { get; } = fixture;

    protected ITaskFlowClient Client => Fixture.Client;

    protected TestCluster Cluster => Fixture.Cluster;

    protected static FaultInjectingLogbookStore Store => FaultClusterFixture.Store;

    protected static string NewFlowId([CallerMemberName] string test = "") => $"{test}-{Guid.NewGuid():N}";

    protected Task<FlowHandle> StartAsync(FlowDefinition flow, string flowId, DurabilityMode? durability = null) =>
        Client.StartAsync(flow, null, new StartFlowOptions { FlowId = flowId, Durability = durability }).WaitAsync(Timeout);

    /// <summary>Asks <paramref name="probe"/> until it says done and returns its value; fails after <see cref="Timeout"/> with
    /// <paramref name="failure"/> of the probe's last word. The one poll loop of the fault tests: what they wait for (a silo
    /// voted dead, an activation gone, a state reached in another silo) raises no event a test can await.</summary>
    protected static async Task<T> PollAsync<T>(Func<Task<(bool Done, T Value, string Last)>> probe, Func<string, string> failure)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var (done, value, last) = await probe();
            if (done)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure(last));
            await Task.Delay(20); // a poll of a condition, bounded by the deadline above, not a wait for time to pass
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <see cref="Timeout"/>.</summary>
    protected static Task UntilAsync(Func<bool> condition, Func<string> what) =>
        PollAsync(() => Task.FromResult((condition(), true, "")), _ => $"Not reached within {Timeout.TotalSeconds} s: {what()}");

    /// <summary>Polls the snapshot until <paramref name="condition"/> holds; calls that fail (a fault is on, the run is
    /// being rebuilt) are retried until the deadline.</summary>
    protected static Task<FlowSnapshot> WaitForAsync(FlowHandle handle, Func<FlowSnapshot, bool> condition, string what) =>
        PollAsync<FlowSnapshot>(async () =>
            {
                try
                {
                    var snapshot = await handle.GetSnapshotAsync().WaitAsync(Timeout);
                    return (condition(snapshot), snapshot,
                        $"{snapshot.State}: " + string.Join(", ", snapshot.Atoms.Select(a => $"{a.Name}={a.State}")));
                }
                catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
                {
                    return (false, null!, $"{exception.GetType().Name}: {exception.Message}");
                }
            },
            last => $"Flow {handle.FlowId} did not reach '{what}' within {Timeout.TotalSeconds} s; last: {last}. " +
                    $"Journal: {string.Join(", ", TaskJournal.Trace(handle.FlowId))}. Store: {string.Join(" ", Store.TransactionsOf(handle.FlowId))}");

    /// <summary>Waits for the run to finish (tolerating failing calls while it is rebuilt), then returns its snapshot.</summary>
    protected static Task<FlowSnapshot> FinishedAsync(FlowHandle handle) =>
        WaitForAsync(handle, s => FlowStatus.IsTerminal(s.State) && s.State != FlowState.Suspended, "finished");

    /// <summary>Every state change of a run (progress left out), from what the current activation holds until it finishes.</summary>
    protected static async Task<List<string>> WatchAsync(FlowHandle handle)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var trace = new List<string>();
        await foreach (var flowEvent in handle.WatchAsync(cancel.Token))
        {
            if (flowEvent.Progress is null)
            {
                trace.Add(flowEvent.ToString());
            }
        }

        return trace;
    }

    protected IFlowGrain FlowGrain(string flowId) => Cluster.Client.GetGrain<IFlowGrain>(flowId);

    /// <summary>A run's logbook grain, reached from inside a silo: only silos may call it (<see cref="SiloOnlyAttribute"/>).</summary>
    private protected Storage.IStorageGrain StorageGrain(string flowId) =>
        Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().ServiceProvider.GetRequiredService<IGrainFactory>()
            .GetGrain<Storage.IStorageGrain>(flowId);

    protected IManagementGrain Management => Cluster.Client.GetGrain<IManagementGrain>(0);

    /// <summary>Waits until none of <paramref name="grains"/> has an activation (without calling them).</summary>
    protected Task WaitDeactivatedAsync(string what, params IAddressable[] grains) =>
        PollAsync(async () =>
            {
                var active = 0;
                foreach (var grain in grains)
                {
                    active += await Management.GetGrainActivationCount((GrainReference)grain).WaitAsync(Timeout);
                }

                return (active == 0, true, active.ToString(System.Globalization.CultureInfo.InvariantCulture));
            },
            active => $"{what}: {active} activation(s) still alive after {Timeout.TotalSeconds} s.");

    /// <summary>The atom ids of a run by name.</summary>
    protected static Dictionary<string, int> AtomIds(FlowSnapshot snapshot) => snapshot.Atoms.ToDictionary(a => a.Name, a => a.Id);

    /// <summary>Every named atom executed exactly once.</summary>
    protected static void AssertExecutedOnce(string flowId, params string[] atoms)
    {
        foreach (var atom in atoms)
        {
            var executes = TaskJournal.Executes(flowId).Count(e => e.AtomName == atom);
            Assert.True(executes == 1, $"'{atom}' executed {executes} time(s); journal: {string.Join(", ", TaskJournal.Trace(flowId))}");
        }
    }

    /// <summary>An atom that was RUNNING in the logbook at the fault ran again: every execute of it carried the same
    /// execution id, and it ran at most <paramref name="most"/> times.</summary>
    protected static void AssertRanAgainWithSameExecutionId(string flowId, string atom, int least, int most)
    {
        var executes = TaskJournal.Executes(flowId).Where(e => e.AtomName == atom).ToList();
        Assert.True(executes.Count >= least && executes.Count <= most,
            $"'{atom}' executed {executes.Count} time(s), expected {least}..{most}; journal: {string.Join(", ", TaskJournal.Trace(flowId))}");
        Assert.Single(executes.Select(e => e.ExecutionId).Distinct());
    }

    /// <summary>The save-order promise, checked against the store's own record: no atom executed after a stored write
    /// recorded it SUCCESS, and none reverted after a stored write recorded it REVERTED.</summary>
    /// <param name="flowId">The run.</param>
    /// <param name="snapshot">Its final snapshot.</param>
    /// <param name="journal">The journal entries to check (default: all of the run's).</param>
    protected static void AssertNoRerunOfRecordedOutcome(string flowId, FlowSnapshot snapshot, IReadOnlyList<JournalEntry>? journal = null)
    {
        var ids = AtomIds(snapshot);
        var stored = Store.TransactionsOf(flowId).Where(t => t.Stored(flowId)).ToList();
        foreach (var entry in journal ?? TaskJournal.For(flowId))
        {
            var id = ids[entry.AtomName];
            var outcome = entry.Action == TaskAction.Execute ? AtomState.Success : AtomState.Reverted;
            var recorded = stored.FirstOrDefault(t => FaultInjectingLogbookStore.Records(t.WriteOf(flowId)!, id, outcome));
            Assert.True(recorded is null || entry.Timestamp < recorded.StartedAt,
                $"{entry} ran at {entry.Timestamp:HH:mm:ss.fffffff}, after transaction {recorded} (stored {recorded?.EndedAt:HH:mm:ss.fffffff}) " +
                $"recorded it {outcome}. Journal: {string.Join(", ", TaskJournal.Trace(flowId))}");
        }
    }

    /// <summary>A stored run's latest record says which silo's engine wrote it.</summary>
    protected static async Task<string?> StoredSiloAsync(string flowId) => (await Store.Inner.ReadAsync(flowId))?.Run.Silo;

    /// <summary>A fresh flow id whose flow grain is activated (not started) on <paramref name="silo"/>: activations are placed
    /// by the cluster (a silo that just joined gets them once its load is known), so ids are tried until one lands there.
    /// The id starts with <paramref name="test"/>.</summary>
    protected Task<string> FlowIdHostedOnAsync(SiloAddress silo, string test)
    {
        var seen = new HashSet<string>();
        return PollAsync(async () =>
            {
                var flowId = NewFlowId(test);
                await Assert.ThrowsAsync<FlowNotFoundException>(() => FlowGrain(flowId).GetStatusAsync().WaitAsync(Timeout));
                var address = await Management.GetActivationAddress(FlowGrain(flowId));
                seen.Add(address?.ToString() ?? "none");
                return (address is not null && address.Equals(silo), flowId, "");
            },
            _ => $"No flow grain landed on {silo} within {Timeout.TotalSeconds} s: {string.Join(", ", seen)}.");
    }

    /// <summary>A silo's identity as its grains report it (<c>RuntimeIdentity</c>, the run record's silo).</summary>
    protected static string Identity(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<IGrainRuntime>().SiloIdentity;

    /// <summary>Waits until the cluster view lists <paramref name="silo"/> Dead (membership marks a silo that left or was
    /// killed Dead a few seconds later), and returns that view.</summary>
    protected Task<global::TaskFlow.Orleans.Cluster.ClusterView> WaitListedDeadAsync(SiloAddress silo) =>
        PollAsync(async () =>
            {
                var view = await Client.GetClusterAsync().WaitAsync(Timeout);
                return (view.Silos.Any(s => s.Address == silo.ToString() && s.Status == "Dead"), view,
                    string.Join(", ", view.Silos.Select(s => $"{s.Address}={s.Status}")));
            },
            silos => $"Silo {silo} is not listed Dead: {silos}");

    /// <summary>Starts a silo in place of one a test killed, so the next test has the usual cluster.</summary>
    protected async Task RestoreSiloCountAsync()
    {
        var missing = FaultClusterFixture.SiloCount - Cluster.GetActiveSilos().Count();
        if (missing > 0)
        {
            await Cluster.StartAdditionalSilosAsync(missing, true);
        }
    }
}
