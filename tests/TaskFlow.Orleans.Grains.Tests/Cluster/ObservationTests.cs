using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Watching a run: snapshots while tasks run, the event trace in TaskFlow's capture form, and where tasks ran.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ObservationTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    /// <summary>A task that succeeds, then one that fails, so the first is reverted.</summary>
    private static FlowDefinition RevertingFlow() => Flow.Linear("flow-1")
        .Add<EchoTask>("task1", inject: ("value", 5))
        .Add<FailingTask>("fail")
        .Build();

    [Fact]
    public async Task GetSnapshotAsync_WhileATaskRuns_ShowsItRunningAndWhatIsDoneAndPending()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("slow-middle")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<EchoTask>("after", provides: "after", inject: ("value", 3))
            .Build();
        var handle = await StartAsync(flow, flowId);

        var snapshot = await WaitForAsync(handle, s => s.Atom("gate").State == AtomState.Running, "gate RUNNING");
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);
        var status = await handle.GetStatusAsync().WaitAsync(Timeout);

        Assert.Equal(FlowState.Running, snapshot.State);
        Assert.Equal(FlowState.Running, status.State);
        Assert.False(snapshot.IsFinished);
        Assert.Null(snapshot.FinishedAt);
        Assert.Equal(AtomState.Success, snapshot.Atom("before").State);
        Assert.Equal(1, snapshot.Atom("before").Result);
        Assert.Equal(1, snapshot.Results["before"]);
        Assert.NotNull(snapshot.Atom("gate").StartedAt);
        Assert.Null(snapshot.Atom("gate").FinishedAt);
        Assert.Equal(AtomState.Pending, snapshot.Atom("after").State);
        Assert.False(snapshot.Results.ContainsKey("gated"));
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.AtomName == "after");

        TaskGates.Open(flowId, "gate");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal("G", result.Get<string>("gated"));
        Assert.Equal(3, result.Get<int>("after"));
    }

    [Fact]
    public async Task GetSnapshotPageAsync_BigRunWhileItRuns_ReturnsTheWindowWithWholeTotals()
    {
        var flowId = NewFlowId();
        var builder = Flow.Linear("paged");
        for (var i = 0; i < 24; i++)
        {
            builder.Add<EchoTask>($"e{i}", provides: $"v{i}", inject: ("value", i));
        }

        var flow = builder.Add<GatedTask>("gate", provides: "gated", inject: ("value", "G")).Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        var middle = await handle.GetSnapshotPageAsync(10, 5).WaitAsync(Timeout);
        var tail = await handle.GetSnapshotPageAsync(20, 100).WaitAsync(Timeout);
        var past = await handle.GetSnapshotPageAsync(1000, 10).WaitAsync(Timeout);

        Assert.Equal(["e10", "e11", "e12", "e13", "e14"], middle.Atoms.Select(a => a.Name));
        Assert.Equal((25, 10, true), (middle.AtomCount, middle.FirstAtom, middle.IsPage));
        Assert.All(middle.Atoms, atom => Assert.Equal(AtomState.Success, atom.State));
        Assert.Equal(FlowState.Running, middle.State);
        Assert.Equal(24, middle.Statistics.Executes); // the run's totals, not the page's
        Assert.Equal(["v10", "v11", "v12", "v13", "v14"], middle.Results.Keys.Order()); // results of the page's atoms
        Assert.Equal(12, middle.Results["v12"]);
        Assert.Equal(["e20", "e21", "e22", "e23", "gate"], tail.Atoms.Select(a => a.Name));
        Assert.Equal(AtomState.Running, tail.Atoms[^1].State);
        Assert.Empty(past.Atoms);
        Assert.Equal((25, 25), (past.AtomCount, past.FirstAtom));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => handle.GetSnapshotPageAsync(0, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => handle.GetSnapshotPageAsync(-1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => handle.GetSnapshotPageAsync(0, Snapshots.FlowSnapshot.MaxPageSize + 1));

        TaskGates.Open(flowId, "gate");
        var whole = (await handle.GetResultAsync().WaitAsync(Timeout)).Snapshot;
        Assert.Equal((25, 0, false), (whole.AtomCount, whole.FirstAtom, whole.IsPage));
        Assert.Equal(25, whole.Results.Count); // every provided name: v0..v23 and gated
    }

    [Fact]
    public async Task GetSnapshotAsync_SlowTaskFinished_RecordsTimingsThatSpanItsDelay()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("slow").Add<SlowTask>("sleep", provides: "slept", inject: ("delayMs", 200)).Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(200, result.Get<int>("slept"));
        var atom = result.Snapshot.Atom("sleep");
        // Task.Delay is timed by a millisecond tick count and the stamps by the wall clock, so allow one timer tick.
        Assert.True(atom.FinishedAt - atom.StartedAt >= TimeSpan.FromMilliseconds(200 - 16),
            $"The atom ran from {atom.StartedAt:O} to {atom.FinishedAt:O}, shorter than its 200 ms delay.");
        Assert.True(result.Snapshot.FinishedAt >= atom.FinishedAt);
        Assert.True(result.Snapshot.CreatedAt <= atom.StartedAt);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: capturing listener traces (test_sequential_flow_two_tasks)")]
    public async Task WatchAsync_LinearFlow_YieldsTheWholeTraceInOrder()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("flow-1")
            .Add<EchoTask>("task1", provides: "a", inject: ("value", 5))
            .Add<AdderTask>("task2", provides: "b", rebind: [("x", "a"), ("y", "a")])
            .Build();
        var handle = await StartAsync(flow, flowId);

        var trace = await WatchAsync(handle);

        Assert.Equal(
            [
                "flow-1.f RUNNING",
                "task1.t RUNNING",
                "task1.t SUCCESS(5)",
                "task2.t RUNNING",
                "task2.t SUCCESS(10)",
                "flow-1.f SUCCESS",
            ],
            trace);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: test_revert_ok_for_linear (capture of a reverting flow)")]
    public async Task WatchAsync_RevertingFlow_YieldsExecutesThenRevertsInTaskFlowForm()
    {
        var flowId = NewFlowId();
        var flow = RevertingFlow();
        var handle = await StartAsync(flow, flowId);

        var trace = await WatchAsync(handle);

        Assert.Equal(
            [
                "flow-1.f RUNNING",
                "task1.t RUNNING",
                "task1.t SUCCESS(5)",
                "fail.t RUNNING",
                "fail.t FAILURE(InvalidOperationException: Woot!)",
                "fail.t REVERTING",
                "fail.t REVERTED(None)",
                "task1.t REVERTING",
                "task1.t REVERTED(None)",
                "flow-1.f REVERTED",
            ],
            trace);
    }

    [Fact]
    [Trait("TaskFlow", "notifier details: old_state beside the new state of flow, task and retry events")]
    public async Task WatchAsync_RevertingFlow_EveryEventCarriesTheStateItLeft()
    {
        var flowId = NewFlowId();
        var flow = RevertingFlow();
        var handle = await StartAsync(flow, flowId);

        var transitions = new List<string>();
        using var cancel = new CancellationTokenSource(Timeout);
        await foreach (var flowEvent in handle.WatchAsync(cancel.Token))
        {
            if (flowEvent.Progress is null)
            {
                transitions.Add(flowEvent.IsFlowEvent
                    ? $"{flowEvent.Name}.f {StateNames.Of(flowEvent.PreviousFlowState!.Value)} -> {StateNames.Of(flowEvent.FlowState!.Value)}"
                    : $"{flowEvent.Name}.t {StateNames.Of(flowEvent.PreviousAtomState!.Value)} -> {StateNames.Of(flowEvent.AtomState!.Value)}");
            }
        }

        Assert.Equal(
            [
                "flow-1.f PENDING -> RUNNING",
                "task1.t PENDING -> RUNNING",
                "task1.t RUNNING -> SUCCESS",
                "fail.t PENDING -> RUNNING",
                "fail.t RUNNING -> FAILURE",
                "fail.t FAILURE -> REVERTING",
                "fail.t REVERTING -> REVERTED",
                "task1.t SUCCESS -> REVERTING",
                "task1.t REVERTING -> REVERTED",
                "flow-1.f RUNNING -> REVERTED",
            ],
            transitions);
    }

    [Fact]
    public async Task WatchAsync_AfterTheFlowFinished_StillYieldsTheWholeTrace()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("flow-1").Add<EchoTask>("task1", inject: ("value", "x")).Build();
        await RunAsync(flow, flowId);

        var trace = await WatchAsync(Client.GetFlowHandle(flowId));

        Assert.Equal(["flow-1.f RUNNING", "task1.t RUNNING", "task1.t SUCCESS(x)", "flow-1.f SUCCESS"], trace);
    }

    [Theory]
    [InlineData(300)]  // more first dispatches than StartAsync sends before it answers (256): one chunk after the answer
    [InlineData(2500)] // three chunks of at most 1024, with the activation free for other calls between them
    public async Task StartAsync_WiderThanTheInlineDispatch_AnswersThenRunsEveryTaskOnceAndTheJoinLast(int width)
    {
        var flowId = NewFlowId();
        var fan = Flow.Unordered("fan");
        for (var i = 0; i < width; i++)
        {
            fan.Add<EchoTask>($"echo-{i}", provides: $"v{i}", inject: ("value", i));
        }

        var flow = Flow.Linear("wide-start").Add(fan).Add<EchoTask>("join", provides: "joined", inject: ("value", "done")).Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(width - 1, result.Get<int>($"v{width - 1}"));
        var journal = TaskJournal.For(flowId);
        Assert.Equal(width + 1, journal.Count(e => e.Action == TaskAction.Execute));
        Assert.All(Enumerable.Range(0, width), i => Assert.Equal(i, TaskJournal.Execute(flowId, $"echo-{i}").Result)); // each exactly once
        Assert.Equal("join", journal.Where(e => e.Action == TaskAction.Execute).MaxBy(e => e.Order)!.AtomName);
    }

    [Fact]
    public async Task RunAsync_WideUnorderedFlow_RunsTasksOnMoreThanOneSilo()
    {
        var flowId = NewFlowId();
        var flow = Flow.Unordered("wide");
        for (var i = 0; i < 60; i++)
        {
            flow.Add<EchoTask>($"echo-{i}", provides: $"v{i}", inject: ("value", i));
        }

        var result = await RunAsync(flow.Build(), flowId);

        var silos = result.Snapshot.Atoms.Select(a => a.RanOn).Distinct().ToList();
        Assert.All(silos, silo => Assert.False(string.IsNullOrEmpty(silo)));
        Assert.InRange(silos.Count, 2, ClusterFixture.SiloCount);
        foreach (var atom in result.Snapshot.Atoms)
        {
            // The engine's record of where a call ran agrees with what the task itself saw.
            Assert.Equal(atom.RanOn, TaskJournal.Execute(flowId, atom.Name).Silo);
        }
    }

    [Fact]
    [Trait("TaskFlow", "test_progress.TestProgress.test_sanity_progress (shape)")]
    public async Task ReportProgress_WhileATaskRuns_ShowsInTheSnapshotAndEventsAndIsOneWhenDone()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("progressing").Add(TestTaskRegistration.ProgressTask, "work", provides: "done").Build();
        var handle = await StartAsync(flow, flowId);

        var during = await WaitForAsync(handle, s => s.Atom("work").Progress >= 0.5, "progress 0.5");
        Assert.Equal(AtomState.Running, during.Atom("work").State);
        Assert.Equal("half way", during.Atom("work").ProgressDetails);

        TaskGates.Open(flowId, "work");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(1.0, result.Snapshot.Atom("work").Progress);

        var trace = new List<string>();
        await foreach (var flowEvent in handle.WatchAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            trace.Add(flowEvent.ToString());
        }

        // The engine publishes 0 when the execute starts and 1 when it succeeds, each right after the state (as TaskFlow's
        // change_state notifies the state, then the progress). Reports are one-way calls: a report overtaken by a newer one is
        // dropped, so 0.25 may be missing, never after 0.5.
        var expected = trace.Contains("work.t PROGRESS(0.25)")
            ? new[] { "progressing.f RUNNING", "work.t RUNNING", "work.t PROGRESS(0)", "work.t PROGRESS(0.25)", "work.t PROGRESS(0.5)", "work.t SUCCESS(1)", "work.t PROGRESS(1)", "progressing.f SUCCESS" }
            : new[] { "progressing.f RUNNING", "work.t RUNNING", "work.t PROGRESS(0)", "work.t PROGRESS(0.5)", "work.t SUCCESS(1)", "work.t PROGRESS(1)", "progressing.f SUCCESS" };
        Assert.Equal(expected, trace);
    }

    [Fact]
    public async Task Listener_OnTheSilo_SeesTheSameOrderedChangesAsWatchersWithDurations()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("listened")
            .Add<EchoTask>("one", provides: "one", inject: ("value", 1))
            .Add<EchoTask>("two", provides: "two", inject: ("value", 2))
            .Build();
        var handle = await StartAsync(flow, flowId);
        await handle.GetResultAsync().WaitAsync(Timeout);

        var watched = new List<string>();
        await foreach (var flowEvent in handle.WatchAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            watched.Add(flowEvent.ToString());
        }

        var heard = RecordingListener.For(flowId);
        Assert.Equal(watched, heard.Select(c => c.Event.ToString()));
        var oneDone = Assert.Single(heard, c => c.Event.Name == "one" && c.Event.AtomState == AtomState.Success);
        Assert.Equal(["one"], oneDone.Provides);
        Assert.NotNull(oneDone.Duration);
        Assert.True(oneDone.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Listener_FailureThenRevertInOneStep_StillGetsTheFailedExecutesDuration()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("listened").Add<EchoTask>("one", inject: ("value", 1)).Add<FailingTask>("fail").Build();
        await Assert.ThrowsAsync<FlowFailedException>(() => RunAsync(flow, flowId));

        var heard = RecordingListener.For(flowId);
        foreach (var (name, state) in new[] { ("fail", AtomState.Failure), ("fail", AtomState.Reverted), ("one", AtomState.Reverted) })
        {
            var change = Assert.Single(heard, c => c.Event.Name == name && c.Event.AtomState == state);
            Assert.True(change.Duration is { } took && took >= TimeSpan.Zero, $"{name} {state} has no duration");
        }
    }
}
