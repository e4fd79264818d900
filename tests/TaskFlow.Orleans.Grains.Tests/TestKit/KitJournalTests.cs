using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Testing;
using static TaskFlow.Orleans.Testing.ExpectedCall;

namespace TaskFlow.Orleans.Grains.Tests.TestKit;

/// <summary>The test kit's journal and assertions, used as a user would: plain tasks with no test code, a kit cluster.
/// Ports Cluster/RevertTests' reverse-order case to the public kit API.</summary>
public sealed class KitJournalTests(KitJournalTests.Fixture fixture) : IClassFixture<KitJournalTests.Fixture>
{
    private const int ChainLength = 5;

    private readonly TaskFlowTestCluster _cluster = fixture.Cluster;

    [TaskName("kit.add")]
    public sealed class Add : FlowTask
    {
        public long Execute(long x, long y) => x + y;

        public void Revert(long x, long y)
        {
        }
    }

    [TaskName("kit.fail")]
    public sealed class Fail : FlowTask
    {
        public void Execute() => throw new InvalidOperationException("Woot!");

        public void Revert()
        {
        }
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public TaskFlowTestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Cluster = await TaskFlowTestCluster.CreateBuilder().AddTask<Add>().AddTask<Fail>().StartAsync();

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    /// <summary>step-1 … step-4 add one each; step-5 fails.</summary>
    private static FlowDefinition ChainEndingInFailure()
    {
        var flow = Flow.Linear("chain").Add<Add>("step-1", provides: "s1", inject: [("x", 0L), ("y", 1L)]);
        for (var i = 2; i < ChainLength; i++)
        {
            flow.Add<Add>($"step-{i}", provides: $"s{i}", rebind: ("x", $"s{i - 1}"), inject: ("y", 1L));
        }

        return flow.Add<Fail>($"step-{ChainLength}").Build();
    }

    private static string NewFlowId() => $"kit-{Guid.NewGuid():N}";

    [Fact]
    public async Task RunAsync_LinearChainLastTaskFails_JournalShowsFailedTaskThenPredecessorsRevertedInReverseOrder()
    {
        var flowId = NewFlowId();

        await Assert.ThrowsAsync<FlowFailedException>(() => _cluster.Client.RunAsync(ChainEndingInFailure(), null, new StartFlowOptions { FlowId = flowId }));

        var journal = _cluster.Journal.ForRun(flowId);
        journal.AssertOrder(
            Executed("step-1"), Executed("step-2"), Executed("step-3"), Executed("step-4"), ExecuteFailed("step-5"),
            Reverted("step-5"), Reverted("step-4"), Reverted("step-3"), Reverted("step-2"), Reverted("step-1"));
        Assert.Equal(4L, journal.Calls[3].Result);
        Assert.Equal("Woot!", journal.Calls[4].Failure!.Message);
        Assert.Equal(Enumerable.Range(1, ChainLength).Select(i => $"step-{i}.execute(started)"),
            journal.Entries.Where(e => e.Outcome == ExecutionOutcome.Started && e.Kind == ExecutionKind.Execute).Select(e => e.ToString()));
    }

    [Fact]
    public async Task AssertOrder_CallsDiffer_ThrowsJournalAssertionExceptionListingExpectedAndActual()
    {
        var flowId = NewFlowId();
        await Assert.ThrowsAsync<FlowFailedException>(() => _cluster.Client.RunAsync(ChainEndingInFailure(), null, new StartFlowOptions { FlowId = flowId }));
        var journal = _cluster.Journal.ForRun(flowId);

        var exception = Assert.Throws<JournalAssertionException>(() => journal.AssertOrder(Executed("step-1"), Reverted("step-1")));

        Assert.Contains("first difference at position 2: expected step-1.revert, found step-2.execute", exception.Message);
        Assert.Contains("Expected: step-1.execute, step-1.revert", exception.Message);
        Assert.Contains("Actual:   step-1.execute, step-2.execute, step-3.execute, step-4.execute, step-5.execute(failed), step-5.revert", exception.Message);
        Assert.Throws<JournalAssertionException>(() => journal.AssertNever(Reverted("step-2")));
        Assert.Throws<JournalAssertionException>(() => journal.AssertHappenedBefore(Reverted("step-1"), Reverted("step-2")));
    }

    [Fact]
    public async Task WaitForAsync_CallRecordedLater_ReturnsTheEntryWhenTheEngineRecordsIt()
    {
        var flowId = NewFlowId();
        var waiting = _cluster.Journal.WaitForAsync(flowId, Reverted("step-1"));

        await Assert.ThrowsAsync<FlowFailedException>(() => _cluster.Client.RunAsync(ChainEndingInFailure(), null, new StartFlowOptions { FlowId = flowId }));

        var entry = await waiting;
        Assert.Equal("step-1", entry.AtomName);
        Assert.Equal(ExecutionKind.Revert, entry.Kind);
        Assert.Equal(_cluster.Silos[0].SiloAddress.ToString(), entry.Silo);
    }

    [Fact]
    public async Task WaitForStateAsync_RunFinishesInAnotherState_ThrowsTimeoutExceptionAtOnceNamingTheState()
    {
        var flowId = NewFlowId();
        await Assert.ThrowsAsync<FlowFailedException>(() => _cluster.Client.RunAsync(ChainEndingInFailure(), null, new StartFlowOptions { FlowId = flowId }));

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => _cluster.WaitForStateAsync(flowId, States.FlowState.Success));

        Assert.Contains($"Run '{flowId}' finished REVERTED", exception.Message);
        Assert.Contains("without reaching 'SUCCESS'", exception.Message);
        Assert.Contains("step-5.execute(failed)", exception.Message);
    }

    [Fact]
    public async Task KillSiloAsync_LastSilo_ThrowsInvalidOperationExceptionSayingHowToFix()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => _cluster.KillSiloAsync(_cluster.Silos[0]));

        Assert.Contains("last running silo", exception.Message);
        Assert.Contains("WithSilos(2)", exception.Message);
        Assert.Single(_cluster.Silos);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TaskFlowTestClusterBuilder.MaxSilos + 1)]
    public void WithSilos_OutOfRange_ThrowsArgumentOutOfRangeException(int count)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => TaskFlowTestCluster.CreateBuilder().WithSilos(count));

        Assert.Contains("from 1 to 10 silos", exception.Message);
    }
}
