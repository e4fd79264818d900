using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing;

namespace TaskFlow.Orleans.Grains.Tests.TestKit;

/// <summary>A kit cluster on a fake clock: tasks and the engine read it, and the test moves it.</summary>
public sealed class KitFakeTimeTests
{
    /// <summary>Waits an hour on the silo's clock; starts the delay before it reaches its gate, so the test advances the
    /// clock only once the delay is on it.</summary>
    [TaskName("kit.wait-an-hour")]
    public sealed class WaitAnHour(TimeProvider time, TaskGates gates) : FlowTask
    {
        public async Task<DateTimeOffset> ExecuteAsync(CancellationToken cancellationToken)
        {
            var delay = Task.Delay(TimeSpan.FromHours(1), time, cancellationToken); // on the fake clock: ends when the test advances it
            await gates.PassAsync(Context, cancellationToken);
            await delay;
            return time.GetUtcNow();
        }
    }

    [Fact]
    public async Task RunAsync_TaskDelaysAnHourOnTheFakeClock_FinishesWhenTheTestAdvancesTheClock()
    {
        await using var cluster = await TaskFlowTestCluster.CreateBuilder().UseFakeTime().AddTask<WaitAnHour>().StartAsync();
        var clock = cluster.Clock!;
        var start = clock.GetUtcNow();
        Assert.Same(clock, cluster.Silos[0].ServiceProvider.GetRequiredService<TimeProvider>());
        const string flowId = "wait-an-hour";
        await cluster.Client.StartAsync(Flow.Linear("wait-flow").Add<WaitAnHour>("wait", provides: "woke").Build(), null,
            new StartFlowOptions { FlowId = flowId });

        await cluster.Gates.WaitEnteredAsync(flowId, "wait");
        cluster.Gates.Open(flowId, "wait");
        await cluster.WaitForAtomStateAsync(flowId, "wait", AtomState.Running);
        clock.Advance(TimeSpan.FromHours(1));
        var snapshot = await cluster.WaitForFinishAsync(flowId);

        Assert.Equal(FlowState.Success, snapshot.State);
        Assert.Equal(start + TimeSpan.FromHours(1), snapshot.Results["woke"]);
        Assert.Equal(start, snapshot.CreatedAt); // the engine's timestamps come from the same clock
    }
}
