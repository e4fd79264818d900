using System.Runtime.CompilerServices;
using global::Orleans.Runtime;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>
/// What the cluster tests share: the fixture's client, a fresh flow id per run, and waits that always end (every await has
/// a timeout; state is polled with a deadline, never slept for).
/// </summary>
public abstract class ClusterTest(ClusterFixture fixture)
{
    /// <summary>The longest any single wait in a test may take.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected ClusterFixture Fixture { get; } = fixture;

    protected ITaskFlowClient Client => Fixture.Client;

    protected global::Orleans.TestingHost.TestCluster Cluster => Fixture.Cluster;

    /// <summary>A flow id no other run uses, naming the test for the logs.</summary>
    protected static string NewFlowId([CallerMemberName] string test = "") => $"{test}-{Guid.NewGuid():N}";

    protected static StartFlowOptions Id(string flowId) => new() { FlowId = flowId };

    /// <summary>Runs a flow to its end under <see cref="Timeout"/>.</summary>
    protected Task<FlowResult> RunAsync(FlowDefinition flow, string flowId, FlowInputs? inputs = null) =>
        Client.RunAsync(flow, inputs, Id(flowId)).WaitAsync(Timeout);

    /// <summary>Runs a flow that must fail, and returns the exception <c>RunAsync</c> threw.</summary>
    protected Task<FlowFailedException> RunFailingAsync(FlowDefinition flow, string flowId, FlowInputs? inputs = null) =>
        Assert.ThrowsAsync<FlowFailedException>(() => RunAsync(flow, flowId, inputs));

    /// <summary>Starts a flow under <see cref="Timeout"/>.</summary>
    protected Task<FlowHandle> StartAsync(FlowDefinition flow, string flowId, FlowInputs? inputs = null) =>
        Client.StartAsync(flow, inputs, Id(flowId)).WaitAsync(Timeout);

    /// <summary>Polls the snapshot until <paramref name="condition"/> holds, failing after <see cref="Timeout"/>.</summary>
    protected static async Task<FlowSnapshot> WaitForAsync(FlowHandle handle, Func<FlowSnapshot, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var snapshot = await handle.GetSnapshotAsync().WaitAsync(Timeout);
            if (condition(snapshot))
            {
                return snapshot;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Flow {handle.FlowId} did not reach '{what}' within {Timeout.TotalSeconds} s; it is {snapshot.State}: " +
                    string.Join(", ", snapshot.Atoms.Select(a => $"{a.Name}={a.State}")));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls the journal until a flow has an entry matching <paramref name="condition"/>, failing after <see cref="Timeout"/>.</summary>
    protected static async Task<JournalEntry> WaitForJournalAsync(string flowId, Func<JournalEntry, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if (TaskJournal.For(flowId).FirstOrDefault(condition) is { } entry)
            {
                return entry;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Flow {flowId}'s journal has no matching entry after {Timeout.TotalSeconds} s: " +
                string.Join(", ", TaskJournal.Trace(flowId)));
            await Task.Delay(20);
        }
    }

    /// <summary>Every state change of a run, in TaskFlow's capture form (states only, as TaskFlow's capturing listener
    /// records them; progress events are left out), until it finishes.</summary>
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

    /// <summary>Deactivates every idle grain activation in the cluster and waits until <paramref name="grains"/> have none left.</summary>
    protected async Task DeactivateAsync(params IAddressable[] grains)
    {
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await management.ForceActivationCollection(TimeSpan.Zero).WaitAsync(Timeout);
            var active = 0;
            foreach (var grain in grains)
            {
                active += await management.GetGrainActivationCount((GrainReference)grain).WaitAsync(Timeout);
            }

            if (active == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{active} activation(s) were still alive {Timeout.TotalSeconds} s after forcing collection.");
            await Task.Delay(50);
        }
    }

    protected IFlowGrain FlowGrain(string flowId) => Cluster.Client.GetGrain<IFlowGrain>(flowId);

    /// <summary>The grain factory of a silo: calls made through it come from inside the cluster (the silo's hosted client),
    /// so they may reach what only silos may call (<see cref="SiloOnlyAttribute"/>); the cluster's client may not.</summary>
    protected IGrainFactory SiloGrains =>
        Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>A run's logbook grain, reached from inside a silo (see <see cref="SiloGrains"/>).</summary>
    private protected global::TaskFlow.Orleans.Grains.Storage.IStorageGrain StorageGrain(string flowId) =>
        SiloGrains.GetGrain<global::TaskFlow.Orleans.Grains.Storage.IStorageGrain>(flowId);

    /// <summary>The journal's order number of an atom's one call.</summary>
    protected static long OrderOf(string flowId, string atomName, TaskAction action) =>
        action == TaskAction.Execute ? TaskJournal.Execute(flowId, atomName).Order : TaskJournal.Revert(flowId, atomName).Order;
}
