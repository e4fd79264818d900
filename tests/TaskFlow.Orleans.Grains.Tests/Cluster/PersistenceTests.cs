using global::Orleans.Runtime;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>
/// A run survives its grains: its logbook (header, run record, atom records) round-trips across deactivation
/// and reactivation, and a run deactivated mid-task resumes (TaskFlow's resume semantics: running atoms run again).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PersistenceTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task GetSnapshotAsync_SucceededFlowAfterDeactivation_ReadsBackStatesResultsAndTimings()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("persisted")
            .Add<EchoTask>("text", provides: "text", inject: ("value", "hello"))
            .Add<DivModTask>("divmod", inject: [("dividend", 17), ("divisor", 5)])
            .Add<ProviderTask>("list", provides: ["p1", "p2"], inject: ("values", new[] { 8, 9 }))
            .Add<AdderTask>("add", provides: "sum", rebind: [("x", "quotient"), ("y", "input")])
            .Build();
        var before = (await RunAsync(flow, flowId, new FlowInputs { ["input"] = 40 })).Snapshot;

        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));
        var after = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);

        SnapshotAssert.Same(before, after);
        Assert.Equal(FlowState.Success, after.State);
        Assert.Equal(43, after.Results["sum"]);
        Assert.Equal((3, 2), after.Atom("divmod").Result);
        Assert.Equal(9, after.Results["p2"]);
        Assert.Equal("hello", after.Results["text"]);
    }

    [Fact]
    public async Task GetSnapshotAsync_FailedFlowAfterDeactivation_ReadsBackFailuresAndRevertFailures()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("persisted-failure")
            .Add<EchoTask>("first", inject: ("value", 1))
            .Add<RevertFailingTask>("undoable")
            .Add<FailingTask>("boom")
            .Build();
        await RunFailingAsync(flow, flowId);
        var before = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);

        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));
        var after = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);

        SnapshotAssert.Same(before, after);
        Assert.Equal(FlowState.Failure, after.State);
        Assert.Equal(AtomState.RevertFailure, after.Atom("undoable").State);
        Assert.Equal(RevertFailingTask.RevertMessage, after.Atom("undoable").RevertFailure!.Message);
        Assert.Equal(FailingTask.DefaultMessage, after.Atom("boom").Failure!.Message);
        Assert.Equal(FailingTask.DefaultMessage, after.Failures["boom"].Message);

        // And the client still reports the run's outcome from the reactivated grain.
        var exception = await Assert.ThrowsAsync<FlowFailedException>(() => Client.GetFlowHandle(flowId).GetResultAsync().WaitAsync(Timeout));
        Assert.Equal(FlowState.Failure, exception.State);
        Assert.Equal(FailingTask.DefaultMessage, exception.Failure!.Message);
    }

    [Fact]
    public async Task StartAsync_SameIdAfterDeactivation_StillThrowsFlowAlreadyExistsException()
    {
        var flowId = NewFlowId();
        await RunAsync(Flow.Linear("first").Add<NoopTask>("noop").Build(), flowId);
        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        await Assert.ThrowsAsync<FlowAlreadyExistsException>(() => StartAsync(Flow.Linear("second").Add<NoopTask>("noop").Build(), flowId));
    }

    [Fact]
    [Trait("TaskFlow", "resume semantics: atoms persisted RUNNING are run again (examples/resume_many_flows.py)")]
    public async Task RunAsync_FlowDeactivatedWhileATaskRuns_ResumesAndFinishes()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("resumed")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<AdderTask>("after", provides: "after", rebind: [("x", "before"), ("y", "before")])
            .Build();
        var handle = await StartAsync(flow, flowId);
        await WaitForAsync(handle, s => s.Atom("gate").State == AtomState.Running, "gate RUNNING");
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        // Reactivating the flow (any call does) resumes it: the atom that was RUNNING is dispatched again, as the same attempt.
        // On the silo still running the first execution the request joins it; on another silo the task runs again.
        var resumed = await WaitForAsync(handle, s => s.State == FlowState.Running, "the run resumed");
        Assert.Equal(AtomState.Running, resumed.Atom("gate").State);
        Assert.Equal(AtomState.Success, resumed.Atom("before").State);
        Assert.Equal(1, resumed.Results["before"]);

        TaskGates.Open(flowId, "gate");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal("G", result.Get<string>("gated"));
        Assert.Equal(2, result.Get<int>("after"));
        Assert.Single(TaskJournal.For(flowId), e => e.AtomName == "before");
        Assert.Single(TaskJournal.For(flowId), e => e.AtomName == "after");

        // At least once: both dispatches of the gated atom carry the same execution id, so a task can dedupe.
        var gateRuns = TaskJournal.For(flowId).Where(e => e.AtomName == "gate").ToList();
        Assert.InRange(gateRuns.Count, 1, 2);
        Assert.Single(gateRuns.Select(e => e.ExecutionId).Distinct());
        Assert.True(OrderOf(flowId, "after", TaskAction.Execute) > gateRuns.Min(e => e.Order));
    }

    [Fact]
    public async Task RunAsync_TaskFinishesAfterItsFlowWasDeactivated_OnlyTheNextActivationCarriesOn()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("zombie")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", provides: "gated", inject: ("value", "G"))
            .Add<EchoTask>("after", inject: ("value", 3))
            .Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);
        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        // The first dispatch now returns to the activation that was deactivated.
        TaskGates.Open(flowId, "gate");
        await WaitForJournalAsync(flowId, e => e.AtomName == "gate" && e.Action == TaskAction.Execute);

        // That activation must not act on it: it used to save the result and dispatch "after" next to the activation
        // that resumes the flow, so successors ran twice. Nothing may touch the flow until it is called again. (Checking
        // that something does not happen needs a window; a stale activation used to act within milliseconds.)
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)StorageGrain(flowId)).WaitAsync(Timeout));
            Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)FlowGrain(flowId)).WaitAsync(Timeout));
            await Task.Delay(50);
        }

        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal("G", result.Get<string>("gated"));
        Assert.Equal(2, TaskGates.EntryCount(flowId, "gate")); // dispatched again by the resumed activation
        Assert.Single(TaskJournal.For(flowId), e => e.AtomName == "after");
    }

    [Fact]
    [Trait("TaskFlow", "resume semantics: atoms persisted REVERTING are reverted again")]
    public async Task RunAsync_FlowDeactivatedWhileARevertRuns_ResumesRevertingInOrder()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("resumed-revert")
            .Add<EchoTask>("first", inject: ("value", 1))
            .Add<GatedRevertTask>("undo")
            .Add<FailingTask>("boom")
            .Build();
        var handle = await StartAsync(flow, flowId);
        var undoGate = GatedRevertTask.RevertGate("undo");
        await WaitForAsync(handle, s => s.Atom("undo").State == AtomState.Reverting, "undo REVERTING");
        await TaskGates.WaitEnteredAsync(flowId, undoGate).WaitAsync(Timeout);

        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));

        var resumed = await WaitForAsync(handle, _ => TaskGates.EntryCount(flowId, undoGate) >= 2, "undo's revert dispatched again");
        Assert.Equal(AtomState.Reverting, resumed.Atom("undo").State);
        Assert.Equal(AtomState.Reverted, resumed.Atom("boom").State);
        Assert.Equal(AtomState.Success, resumed.Atom("first").State); // still waits for undo
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.AtomName == "first" && e.Action == TaskAction.Revert);

        TaskGates.Open(flowId, undoGate);
        var exception = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Equal(FailingTask.DefaultMessage, exception.Failure!.Message);
        var snapshot = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        Assert.All(snapshot.Atoms, atom => Assert.Equal(AtomState.Reverted, atom.State));
        Assert.Single(TaskJournal.Reverts(flowId), e => e.AtomName == "first");
        Assert.True(TaskJournal.Reverts(flowId).Where(e => e.AtomName == "undo").Min(e => e.Order) < OrderOf(flowId, "first", TaskAction.Revert));
    }

    [Fact]
    public async Task WatchAsync_FlowDeactivatedMidWatch_StillYieldsEveryLaterEvent()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("watched")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add<GatedTask>("gate", inject: ("value", "G"))
            .Add<EchoTask>("after", inject: ("value", 3))
            .Build();
        var handle = await StartAsync(flow, flowId);
        using var cancel = new CancellationTokenSource(Timeout);
        await using var watch = handle.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var trace = new List<string>();
        while (!trace.Contains("gate.t RUNNING"))
        {
            Assert.True(await watch.MoveNextAsync());
            if (watch.Current.Progress is null)
            {
                trace.Add(watch.Current.ToString());
            }
        }

        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);
        await DeactivateAsync(FlowGrain(flowId), StorageGrain(flowId));
        // The watch's next poll activates the run again: it resumes and dispatches the gate again with the same execution
        // id. On the silo still running the first execution the request joins it; on another silo the task runs again.
        // Either way the gate's outcome is recorded once, so the gate is opened once the run is RUNNING again.
        while (!trace.Contains("watched.f SUSPENDED") || trace.Count(t => t == "watched.f RUNNING") < 2)
        {
            Assert.True(await watch.MoveNextAsync());
            if (watch.Current.Progress is null)
            {
                trace.Add(watch.Current.ToString());
            }
        }

        TaskGates.Open(flowId, "gate");
        while (await watch.MoveNextAsync())
        {
            if (watch.Current.Progress is null)
            {
                trace.Add(watch.Current.ToString());
            }
        }

        // The new activation resumes through RESUMING (TaskFlow's table: RUNNING → RESUMING → SUSPENDED → RUNNING) and
        // dispatches the gate again, which was RUNNING in the logbook; nothing recorded SUCCESS runs again.
        Assert.Equal(
            [
                "watched.f RUNNING",
                "before.t RUNNING",
                "before.t SUCCESS(1)",
                "gate.t RUNNING",
                "watched.f RESUMING",
                "watched.f SUSPENDED",
                "watched.f RUNNING",
                "gate.t SUCCESS(G)",
                "after.t RUNNING",
                "after.t SUCCESS(3)",
                "watched.f SUCCESS",
            ],
            trace);
        Assert.InRange(TaskGates.EntryCount(flowId, "gate"), 1, 2);
    }
}
