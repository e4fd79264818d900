using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>A task that runs longer than Orleans' response timeout completes, and its flow answers queries meanwhile.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LongTaskTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task RunAsync_TaskLongerThanTheResponseTimeout_SucceedsWithoutATimeoutFailure()
    {
        var flowId = NewFlowId();
        var delay = TestSiloConfigurator.ResponseTimeout + TimeSpan.FromSeconds(2);
        var flow = Flow.Linear("long")
            .Add<SlowTask>("slow", provides: "slept", inject: ("delayMs", (int)delay.TotalMilliseconds))
            .Add<EchoTask>("after", provides: "after", inject: ("value", 7))
            .Build();
        var handle = await StartAsync(flow, flowId);

        // Queries are answered while the long task runs, past the point where a plain call would have timed out. Real time
        // is the point here, not a way to synchronise: Orleans' response timeout runs on the wall clock, so the test waits
        // past it (the test silos set it to 5 s) before asking.
        await Task.Delay(TestSiloConfigurator.ResponseTimeout + TimeSpan.FromSeconds(0.5));
        var during = await handle.GetSnapshotAsync().WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(AtomState.Running, during.Atom("slow").State);

        var result = await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal((int)delay.TotalMilliseconds, result.Get<int>("slept"));
        Assert.Equal(7, result.Get<int>("after"));
        Assert.Single(TaskJournal.For(flowId), e => e.AtomName == "slow" && e.Action == TaskAction.Execute);
    }

    [Fact]
    public async Task RunAsync_TaskPastItsTimeout_FailsWithTimeoutAndRevertsWhatRan()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("timed")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<SlowTask>("slow", inject: ("delayMs", 20_000), timeout: TimeSpan.FromMilliseconds(300))
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.True(exception.Failure!.Is<TimeoutException>());
        Assert.Contains("did not finish within", exception.Failure.Message);
        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("slow").State);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("before").State);
        Assert.True(snapshot.Atom("slow").FinishedAt - snapshot.Atom("slow").StartedAt < TimeSpan.FromSeconds(10));
    }
}
