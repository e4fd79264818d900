using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Faults;

/// <summary>A stored flow whose task is gone after a redeploy ends FAILURE with a Failure naming the task; others are unaffected.</summary>
public sealed class RedeployTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"taskflow-redeploy-{Guid.NewGuid():N}.db");
    private readonly string _serviceId = "redeploy-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Activate_StoredFlowOfATaskNoLongerRegistered_EndsFailureNamingTheTaskAndOtherFlowsRun()
    {
        var stranded = "stranded-" + Guid.NewGuid().ToString("N")[..8];
        var flow = Flow.Linear("before-redeploy").Add("test.answer", "answer", provides: "answer").Add("test.retired", "retired").Build();

        // First deployment: "test.retired" exists and is still running when the silo stops.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = TestSilo.BuildLocal(_serviceId, s => s
            .UseInMemoryReminderService()
            .AddTaskFlowSqlite(o => o.DatabasePath = _database)
            .AddTaskFlow(t => t
                .AddTask("test.answer", () => 42)
                .AddTask("test.retired", async (CancellationToken token) =>
                {
                    started.TrySetResult();
                    await Task.Delay(Timeout.Infinite, token);
                    return 0;
                })));
        await first.StartAsync();
        await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IFlowGrain>(stranded).StartAsync(new FlowStartRequest { Definition = flow });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.StopAsync();
        first.Dispose();

        // Second deployment: the task is gone.
        using var second = TestSilo.BuildLocal(_serviceId, s => s
            .UseInMemoryReminderService()
            .AddTaskFlowSqlite(o => o.DatabasePath = _database)
            .AddTaskFlow(t => t.AddTask("test.answer", () => 42)));
        await second.StartAsync();
        var grains = second.Services.GetRequiredService<IGrainFactory>();

        var status = await grains.GetGrain<IFlowGrain>(stranded).WaitForCompletionAsync(TimeSpan.FromSeconds(10));
        var snapshot = await grains.GetGrain<IFlowGrain>(stranded).GetSnapshotAsync();
        Assert.Equal(FlowState.Failure, status.State);
        Assert.Equal(FlowState.Failure, snapshot.State);
        var failure = snapshot.Failures["before-redeploy"];
        Assert.True(failure.Is<TaskNotRegisteredException>());
        Assert.Contains("test.retired", failure.Message);

        // Another flow on the new deployment is not affected.
        var other = "other-" + Guid.NewGuid().ToString("N")[..8];
        await grains.GetGrain<IFlowGrain>(other).StartAsync(new FlowStartRequest
        {
            Definition = Flow.Linear("after-redeploy").Add("test.answer", "answer", provides: "answer").Build(),
        });
        Assert.Equal(FlowState.Success, (await grains.GetGrain<IFlowGrain>(other).WaitForCompletionAsync(TimeSpan.FromSeconds(10))).State);
        await second.StopAsync();
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }
}
