using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Retry controllers, link deciders, and suspend / resume / cancel, end to end on the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ControlTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    /// <summary>A task that fails until its third attempt, under a Times(3) retry.</summary>
    private static FlowDefinition FlakyFlow() => Flow.Linear("flaky-flow")
        .Add(Flow.Linear("guarded")
            .WithRetry(Retry.Times(3, name: "r1", provides: "attempt"))
            .Add(TestTaskRegistration.FailUntilTask, "flaky", provides: "succeeded-at"))
        .Build();

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_times_retry_until_success (shape)")]
    public async Task RunAsync_TimesRetryAroundFlakyTask_RetriesUntilItSucceeds()
    {
        var flowId = NewFlowId();
        var flow = FlakyFlow();
        var handle = await StartAsync(flow, flowId, new FlowInputs { ["succeedAt"] = 3L });
        var trace = await TraceAsync(handle);

        Assert.Equal(3L, (await handle.GetResultAsync().WaitAsync(Timeout)).Get<long>("succeeded-at"));
        Assert.Equal(
        [
            "flaky-flow.f RUNNING",
            "r1.r RUNNING", "r1.r SUCCESS(1)", "flaky.t RUNNING", "flaky.t FAILURE", "flaky.t REVERTING", "flaky.t REVERTED(None)",
            "r1.r RETRYING", "flaky.t PENDING", "r1.r RUNNING", "r1.r SUCCESS(2)", "flaky.t RUNNING", "flaky.t FAILURE", "flaky.t REVERTING", "flaky.t REVERTED(None)",
            "r1.r RETRYING", "flaky.t PENDING", "r1.r RUNNING", "r1.r SUCCESS(3)", "flaky.t RUNNING", "flaky.t SUCCESS(3)",
            "flaky-flow.f SUCCESS",
        ], trace.Select(WithoutFailureText));
    }

    [Fact]
    [Trait("TaskFlow", "engine.statistics and the atom's attempt history (retry_history of a task)")]
    public async Task Snapshot_RetriedTask_ShowsEveryAttemptAndTheStatistics_AlsoFromStorage()
    {
        var flowId = NewFlowId();
        var flow = FlakyFlow();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["succeedAt"] = 3L });
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);

        foreach (var snapshot in new[] { result.Snapshot, stored })
        {
            var flaky = snapshot.Atom("flaky");
            Assert.Equal(
                [
                    (1, false, AtomState.Failure), (1, true, AtomState.Reverted),
                    (2, false, AtomState.Failure), (2, true, AtomState.Reverted),
                    (3, false, AtomState.Success),
                ],
                flaky.Attempts.Select(a => (a.Number, a.IsRevert, a.Outcome)));
            Assert.Equal("Attempt 1 fails; attempt 3 succeeds.", flaky.Attempts[0].Failure?.Message);
            Assert.Null(flaky.Attempts[^1].Failure);
            Assert.All(flaky.Attempts, a => Assert.True(a.StartedAt <= a.FinishedAt && a.RanOn is not null));
            Assert.Equal(3, flaky.Statistics.Executes);
            Assert.Equal(2, flaky.Statistics.Reverts);
            Assert.Equal(2, flaky.Statistics.Failures);
            Assert.Equal(2, flaky.Statistics.Retries);
            Assert.Equal(3, snapshot.Atom("r1").Statistics.Executes);
            // The run: the task's three executes and the retry controller's three, two reverts, two failures.
            Assert.Equal(6, snapshot.Statistics.Executes);
            Assert.Equal(2, snapshot.Statistics.Reverts);
            Assert.Equal(2, snapshot.Statistics.Failures);
            Assert.Equal(4, snapshot.Statistics.Retries);
            Assert.True(snapshot.Statistics.Duration >= flaky.Statistics.ExecuteTime);
        }
    }

    [Fact]
    public async Task Snapshot_TaskThatSucceededOnce_ThenReverted_ShowsBothCalls_AlsoFromStorage()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("once").Add<EchoTask>("one", inject: ("value", 1)).Add<EchoTask>("two", inject: ("value", 2)).Build();
        var succeeded = await RunAsync(flow, flowId);

        // A first execute that succeeds is not written down separately; the snapshot shows it all the same.
        var one = succeeded.Snapshot.Atom("one");
        Assert.Equal([(1, false, AtomState.Success)], one.Attempts.Select(a => (a.Number, a.IsRevert, a.Outcome)));
        Assert.Equal((1, 0, 0), (one.Statistics.Executes, one.Statistics.Reverts, one.Statistics.Failures));
        Assert.Equal(one.FinishedAt - one.StartedAt, one.Statistics.ExecuteTime);
        Assert.Equal(2, succeeded.Snapshot.Statistics.Executes);

        var reverting = Flow.Linear("once-then-revert").Add<EchoTask>("one", inject: ("value", 1)).Add<FailingTask>("fail").Build();
        var failedId = NewFlowId();
        await Assert.ThrowsAsync<FlowFailedException>(() => RunAsync(reverting, failedId));
        var stored = await Client.GetStoredSnapshotAsync(failedId).WaitAsync(Timeout);
        Assert.Equal([(false, AtomState.Success), (true, AtomState.Reverted)], stored.Atom("one").Attempts.Select(a => (a.IsRevert, a.Outcome)));
        Assert.Equal((1, 1), (stored.Atom("one").Statistics.Executes, stored.Atom("one").Statistics.Reverts));
        Assert.Equal((2, 2, 1), (stored.Statistics.Executes, stored.Statistics.Reverts, stored.Statistics.Failures));
    }

    [Fact]
    [Trait("TaskFlow", "examples/resume_many_flows.py: find every unfinished flow in the backend and resume it")]
    public async Task ListFlowsAsync_FindsEverySuspendedRun_AndEachResumesToTheEnd()
    {
        var prefix = NewFlowId();
        var ids = Enumerable.Range(1, 3).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in ids)
        {
            var flow = Flow.Linear("resumable")
                .Add<GatedTask>("gate", provides: "gated", inject: ("value", id))
                .Add<EchoTask>("after", provides: "after", inject: ("value", 2))
                .Build();
            var handle = await StartAsync(flow, id);
            await TaskGates.WaitEnteredAsync(id, "gate").WaitAsync(Timeout);
            await handle.SuspendAsync().WaitAsync(Timeout);
            TaskGates.Open(id, "gate");
            Assert.Equal(FlowState.Suspended, (await handle.GetResultAsync().WaitAsync(Timeout)).State);
        }

        // TaskFlow's resume_many_flows: walk the backend's unfinished flows and resume each.
        var unfinished = await Client.ListFlowsAsync(new FlowQuery { States = [FlowState.Suspended], IdPrefix = prefix }).WaitAsync(Timeout);
        Assert.Equal(ids.Order(StringComparer.Ordinal), unfinished.Flows.Select(f => f.FlowId).Order(StringComparer.Ordinal));
        foreach (var summary in unfinished.Flows)
        {
            var handle = Client.GetFlowHandle(summary.FlowId);
            await handle.ResumeAsync().WaitAsync(Timeout);
            var result = await handle.GetResultAsync().WaitAsync(Timeout);
            Assert.Equal(FlowState.Success, result.State);
            Assert.Equal(summary.FlowId, result.Get<string>("gated"));
            Assert.Single(TaskJournal.For(summary.FlowId), e => e.AtomName == "gate" && e.Action == TaskAction.Execute);
        }

        var left = await Client.ListFlowsAsync(new FlowQuery { States = [FlowState.Suspended], IdPrefix = prefix }).WaitAsync(Timeout);
        Assert.Empty(left.Flows);
    }

    [Fact]
    [Trait("TaskFlow", "test_retries.RetryTest.test_flow_with_retry_and_revert (shape): REVERT reverts only the retry's subflow")]
    public async Task RunAsync_TimesRetryExhausted_RevertsItsSubflowAndThrowsWithTheLastFailure()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("exhausted")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add(Flow.Linear("guarded")
                .WithRetry(Retry.Times(2, name: "r1", provides: "attempt"))
                .Add(TestTaskRegistration.FailUntilTask, "flaky"))
            .Build();

        var exception = await RunFailingAsync(flow, flowId, new FlowInputs { ["succeedAt"] = 10L });

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Contains("Attempt 2 fails", exception.Failure!.Message);
        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("flaky").State);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("r1").State);
        // As TaskFlow without defer_reverts: REVERT undoes the retry's subflow only; what ran before it stays done.
        Assert.Equal(AtomState.Success, snapshot.Atom("before").State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineGraphConditionalFlowTest.test_graph_flow_conditional (shape)")]
    public async Task RunAsync_DeciderSaysNo_IgnoresTheTargetAndSucceeds()
    {
        var flowId = NewFlowId();
        var flow = Flow.Graph("conditional")
            .Add<EchoTask>("source", provides: "x", inject: ("value", 5))
            .Add<EchoTask>("skipped", provides: "y", inject: ("value", 6))
            .Add<EchoTask>("taken", provides: "z", inject: ("value", 7))
            .Link("source", "skipped", decider: TestTaskRegistration.NeverDecider)
            .Link("source", "taken", decider: TestTaskRegistration.PositiveDecider)
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(AtomState.Ignore, result.Snapshot.Atom("skipped").State);
        Assert.Equal(AtomState.Success, result.Snapshot.Atom("taken").State);
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.AtomName == "skipped");
    }

    [Theory]
    [InlineData("dry-run", AtomState.Ignore)]
    [InlineData("real", AtomState.Success)]
    public async Task RunAsync_PerRunDecider_DecidesFromTheRunsId(string kind, AtomState publish)
    {
        var flowId = NewFlowId() + "-" + kind;
        var flow = Flow.Graph("deploy")
            .Add<EchoTask>("build", provides: "artifact", inject: ("value", 1))
            .Add<EchoTask>("publish", provides: "published", inject: ("value", 2))
            .Link("build", "publish", decider: TestTaskRegistration.NotOnDryRunsDecider)
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(publish, result.Snapshot.Atom("publish").State);
        Assert.Equal(publish == AtomState.Success, TaskJournal.For(flowId).Any(e => e.AtomName == "publish"));
    }

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_one_task (shape)")]
    public async Task SuspendAsync_WhileATaskRuns_LetsItFinishEndsSuspendedAndResumeFinishes()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("suspended")
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<EchoTask>("after", provides: "after", inject: ("value", 2))
            .Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        var suspending = await handle.SuspendAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Suspending, suspending.State);
        TaskGates.Open(flowId, "gate");

        var suspended = await WaitForAsync(handle, s => s.State == FlowState.Suspended, "SUSPENDED");
        Assert.Equal(AtomState.Success, suspended.Atom("gate").State);
        Assert.Equal(AtomState.Pending, suspended.Atom("after").State);
        Assert.Equal(FlowState.Suspended, (await handle.SuspendAsync().WaitAsync(Timeout)).State); // harmless again

        await handle.ResumeAsync().WaitAsync(Timeout);
        var result = await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(2, result.Get<int>("after"));
    }

    [Fact]
    public async Task CancelAsync_WhileATaskRuns_RevertsWhatRanAndEndsReverted()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("cancelled")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<EchoTask>("after", provides: "after", inject: ("value", 2))
            .Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        await handle.CancelAsync("operator said stop").WaitAsync(Timeout);
        TaskGates.Open(flowId, "gate");

        var exception = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));
        Assert.Equal(FlowState.Reverted, exception.State);
        var snapshot = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("gate").State);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("before").State);
        Assert.Equal(AtomState.Pending, snapshot.Atom("after").State);
        Assert.Equal("operator said stop", snapshot.Failures["cancelled"].Message);
    }

    [Fact]
    public async Task CancelAsync_WhileALongTaskRuns_CancelsItsTokenSoTheFlowEndsPromptly()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("cancel-long")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<SlowTask>("slow", inject: ("delayMs", 60_000))
            .Build();
        var handle = await StartAsync(flow, flowId);
        await WaitForAsync(handle, s => s.Atom("slow").State == AtomState.Running, "slow RUNNING");
        var cancelledAt = DateTime.UtcNow;

        await handle.CancelAsync().WaitAsync(Timeout);
        var exception = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.True(DateTime.UtcNow - cancelledAt < TimeSpan.FromSeconds(20), "the 60 s task should have been cancelled through its token");
        var snapshot = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("slow").State);
        Assert.True(snapshot.Atom("slow").Failure!.Is<OperationCanceledException>());
    }

    [Fact]
    public async Task SuspendAsync_UnknownFlow_ThrowsFlowNotFoundException() =>
        await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetFlowHandle(NewFlowId()).SuspendAsync().WaitAsync(Timeout));

    private static async Task<List<string>> TraceAsync(FlowHandle handle)
    {
        var trace = new List<string>();
        await foreach (var flowEvent in handle.WatchAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            if (flowEvent.Progress is null)
            {
                trace.Add(flowEvent.ToString());
            }
        }

        return trace;
    }

    private static string WithoutFailureText(string line) => line.Contains(" FAILURE(", StringComparison.Ordinal) ? line[..line.IndexOf('(')] : line;
}
