using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Grains.Health;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Observability;

/// <summary>Liveness and readiness on a working silo, and a store that fails or hangs seen by readiness (which returns at its
/// timeout, never later).</summary>
[Collection(TracingCollection.Name)]
public sealed class HealthCheckTests(TracingClusterFixture fixture)
{
    private HealthCheckService Health =>
        fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().ServiceProvider.GetRequiredService<HealthCheckService>();

    [Fact]
    public async Task CheckHealth_WorkingSilo_LiveAndReadyAreHealthy()
    {
        var live = await Health.CheckHealthAsync(c => c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.LiveTag));
        var ready = await Health.CheckHealthAsync(c => c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.ReadyTag));

        Assert.Equal(HealthStatus.Healthy, live.Status);
        Assert.Equal(["taskflow-live"], live.Entries.Keys);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Equal(["taskflow-silo", "taskflow-store"], ready.Entries.Keys.Order());
    }

    [Fact]
    public async Task StoreCheck_StoreThrows_UnhealthyWithItsMessage()
    {
        var check = Check(new FaultyStore(new FlowStorageException("Could not read from db-1: connection refused.")), new FakeTimeProvider());

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("connection refused", result.Description);
    }

    [Fact]
    public async Task StoreCheck_StoreNeverAnswers_UnhealthyAtTheTimeoutAndTheReadIsCancelled()
    {
        var time = new FakeTimeProvider();
        var store = new FaultyStore(failure: null);
        var check = Check(store, time);

        var checking = check.CheckHealthAsync(new HealthCheckContext());
        await store.ReadStarted.Task;
        Assert.False(checking.IsCompleted);
        // The check's timer may be set just after the read starts: move the clock on until it fires (bounded by a real deadline).
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!checking.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        var result = await checking;

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("did not answer within 00:00:02", result.Description);
        Assert.True(store.ReadToken.IsCancellationRequested);
    }

    private static StoreHealthCheck Check(ILogbookStore store, TimeProvider time)
    {
        var services = new ServiceCollection().AddSingleton(store).BuildServiceProvider();
        return new StoreHealthCheck(services, Microsoft.Extensions.Options.Options.Create(new TaskFlowHealthCheckOptions { Timeout = TimeSpan.FromSeconds(2) }), time);
    }

    /// <summary>A store whose read throws <c>failure</c>, or, without one, never completes (whatever its token says).</summary>
    private sealed class FaultyStore(Exception? failure) : ILogbookStore
    {
        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken ReadToken { get; private set; }

        public Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default)
        {
            ReadToken = cancellationToken;
            ReadStarted.TrySetResult();
            return failure is null ? new TaskCompletionSource<StoredLogbook?>().Task : Task.FromException<StoredLogbook?>(failure);
        }

        public Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
