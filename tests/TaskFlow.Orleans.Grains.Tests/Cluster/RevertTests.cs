using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>A failure reverts what ran, in reverse dependency order, as TaskFlow's RevertAll (test_engines.py revert cases).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RevertTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private const int ChainLength = 5;

    /// <summary>step-1 … step-4 add one each (providing s1 … s4 = 1 … 4); step-5 fails with "Woot!".</summary>
    private static FlowDefinition ChainEndingInFailure()
    {
        var flow = Flow.Linear("chain").Add<AdderTask>("step-1", provides: "s1", inject: [("x", 0), ("y", 1)]);
        for (var i = 2; i < ChainLength; i++)
        {
            flow.Add<AdderTask>($"step-{i}", provides: $"s{i}", rebind: ("x", $"s{i - 1}"), inject: ("y", 1));
        }

        return flow.Add<FailingTask>($"step-{ChainLength}").Build();
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: test_revert_ok_for_linear_in_unordered / reverting linear flow")]
    public async Task RunAsync_LinearChainLastTaskFails_RevertsFailedTaskThenPredecessorsInReverseOrder()
    {
        var flowId = NewFlowId();

        await RunFailingAsync(ChainEndingInFailure(), flowId);

        var executes = Enumerable.Range(1, ChainLength).Select(i => $"step-{i}.execute");
        var reverts = Enumerable.Range(1, ChainLength).Reverse().Select(i => $"step-{i}.revert");
        Assert.Equal([.. executes, .. reverts], TaskJournal.Trace(flowId));
    }

    [Fact]
    public async Task RunAsync_LinearChainLastTaskFails_EachRevertGetsItsOwnOutcomeAndTheFlowFailures()
    {
        var flowId = NewFlowId();

        await RunFailingAsync(ChainEndingInFailure(), flowId);

        // The failed task reverts too, as TaskFlow does, with its Failure as the outcome.
        var failedRevert = TaskJournal.Revert(flowId, $"step-{ChainLength}");
        Assert.False(failedRevert.OutcomeIsSuccess);
        Assert.Equal(FailingTask.DefaultMessage, failedRevert.Failure!.Message);
        Assert.True(failedRevert.Failure.Is<InvalidOperationException>());

        for (var i = 1; i < ChainLength; i++)
        {
            var revert = TaskJournal.Revert(flowId, $"step-{i}");
            Assert.True(revert.OutcomeIsSuccess);
            Assert.Equal(i, revert.Result);
            Assert.Null(revert.Failure);
            Assert.Equal(i - 1, revert.Arguments["x"]);
            Assert.Equal(1, revert.Arguments["y"]);
        }

        Assert.All(TaskJournal.Reverts(flowId), revert =>
        {
            var failure = Assert.Single(revert.FlowFailures!);
            Assert.Equal($"step-{ChainLength}", failure.Key);
            Assert.Equal(FailingTask.DefaultMessage, failure.Value.Message);
        });
    }

    [Fact]
    public async Task RunAsync_LinearChainLastTaskFails_ThrowsFlowFailedExceptionCarryingTheFailure()
    {
        var flowId = NewFlowId();

        var exception = await RunFailingAsync(ChainEndingInFailure(), flowId);

        Assert.Equal(flowId, exception.FlowId);
        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Equal([$"step-{ChainLength}"], exception.Failures.Keys);
        var failure = exception.Failure!;
        Assert.Equal(FailingTask.DefaultMessage, failure.Message);
        Assert.Equal("System.InvalidOperationException", failure.ExceptionTypeName);
        Assert.Contains("System.InvalidOperationException", failure.ExceptionTypeNames);
        Assert.Contains("System.Exception", failure.ExceptionTypeNames);
        Assert.Contains("Woot!", exception.Message);
        Assert.Contains($"step-{ChainLength}", exception.Message);
    }

    [Fact]
    public async Task GetSnapshotAsync_AfterLinearChainReverted_ShowsEveryAtomRevertedAndTheFailure()
    {
        var flowId = NewFlowId();
        await RunFailingAsync(ChainEndingInFailure(), flowId);

        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);

        Assert.Equal(FlowState.Reverted, snapshot.State);
        Assert.True(snapshot.IsFinished);
        Assert.NotNull(snapshot.FinishedAt);
        Assert.All(snapshot.Atoms, atom => Assert.Equal(AtomState.Reverted, atom.State));
        Assert.Equal(FailingTask.DefaultMessage, snapshot.Atom($"step-{ChainLength}").Failure!.Message);
        Assert.Null(snapshot.Atom($"step-{ChainLength}").RevertFailure);
        Assert.Equal([$"step-{ChainLength}"], snapshot.Failures.Keys);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: test_graph_flow_four_tasks_revert")]
    public async Task RunAsync_GraphFlowFails_RevertsSuccessorsBeforeTheirPredecessors()
    {
        var flowId = NewFlowId();

        // top → (left, right) → bottom, where bottom fails.
        var flow = Flow.Graph("diamond")
            .Add<FailingTask>("bottom", requires: ["left", "right"])
            .Add<AdderTask>("left", provides: "left", rebind: [("x", "top"), ("y", "top")])
            .Add<MultiplierTask>("right", provides: "right", rebind: [("x", "top"), ("y", "top")])
            .Add<EchoTask>("top", provides: "top", inject: ("value", 3))
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Reverted, exception.State);
        long Revert(string atom) => OrderOf(flowId, atom, TaskAction.Revert);
        long Execute(string atom) => OrderOf(flowId, atom, TaskAction.Execute);
        Assert.True(Execute("bottom") < Revert("bottom"));
        Assert.True(Revert("bottom") < Revert("left"));
        Assert.True(Revert("bottom") < Revert("right"));
        Assert.True(Revert("left") < Revert("top"));
        Assert.True(Revert("right") < Revert("top"));
        Assert.Equal(6, TaskJournal.Revert(flowId, "left").Result);
        Assert.Equal(9, TaskJournal.Revert(flowId, "right").Result);
        Assert.Equal(3, TaskJournal.Revert(flowId, "top").Result);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: test_revert_raises_for_linear (the revert itself fails)")]
    public async Task RunAsync_RevertFails_EndsFailureWithRevertFailureAndStopsReverting()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("revert-fails")
            .Add<EchoTask>("first", inject: ("value", 1))
            .Add<RevertFailingTask>("undoable")
            .Add<FailingTask>("boom")
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Failure, exception.State);
        // The failure that started the revert, not the revert's own.
        Assert.Equal(FailingTask.DefaultMessage, exception.Failure!.Message);
        Assert.Equal(RevertFailingTask.RevertMessage, exception.Failures["undoable"].Message);
        Assert.Equal(FailingTask.DefaultMessage, exception.Failures["boom"].Message);

        // As TaskFlow: once a revert fails nothing more is reverted.
        Assert.Equal(["first.execute", "undoable.execute", "boom.execute", "boom.revert", "undoable.revert"], TaskJournal.Trace(flowId));

        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Failure, snapshot.State);
        Assert.Equal(AtomState.Success, snapshot.Atom("first").State);
        Assert.Equal(AtomState.RevertFailure, snapshot.Atom("undoable").State);
        Assert.Equal(AtomState.Reverted, snapshot.Atom("boom").State);
        var revertFailure = snapshot.Atom("undoable").RevertFailure!;
        Assert.Equal(RevertFailingTask.RevertMessage, revertFailure.Message);
        Assert.True(revertFailure.Is<InvalidOperationException>());
        Assert.Null(snapshot.Atom("undoable").Failure);
        Assert.Equal("done", snapshot.Atom("undoable").Result);
    }

    [Fact]
    public async Task RunAsync_TaskFailsWithChosenException_FailureKeepsItsTypeNamesAndMessage()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("chosen")
            .Add<FailingTask>("fail", inject: [("failWith", "System.IO.FileNotFoundException"), ("failMessage", "no such file")])
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        var failure = exception.Failure!;
        Assert.Equal("System.IO.FileNotFoundException", failure.ExceptionTypeName);
        Assert.Equal(
            ["System.IO.FileNotFoundException", "System.IO.IOException", "System.SystemException", "System.Exception"],
            failure.ExceptionTypeNames.ToArray());
        Assert.Equal("no such file", failure.Message);
        Assert.True(failure.Is<IOException>());
        Assert.NotNull(failure.StackTrace);
    }

    [Fact]
    public async Task RunAsync_UnorderedSiblingFails_RevertsTheSiblingsThatRan()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("root")
            .Add<EchoTask>("before", provides: "before", inject: ("value", 1))
            .Add(Flow.Unordered("siblings")
                .Add<EchoTask>("ok-1", inject: ("value", 2))
                .Add<EchoTask>("ok-2", inject: ("value", 3))
                .Add<FailingTask>("fails"))
            .Add<EchoTask>("after", inject: ("value", 4))
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.AtomName == "after");
        long Revert(string atom) => OrderOf(flowId, atom, TaskAction.Revert);
        Assert.True(Revert("ok-1") < Revert("before"));
        Assert.True(Revert("ok-2") < Revert("before"));
        Assert.True(Revert("fails") < Revert("before"));
        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Pending, snapshot.Atom("after").State);
        Assert.All(snapshot.Atoms.Where(a => a.Name != "after"), atom => Assert.Equal(AtomState.Reverted, atom.State));
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.py: a running sibling finishes before it is reverted (running atoms are never pre-empted)")]
    public async Task RunAsync_SiblingFailsWhileAnotherRuns_WaitsForItThenRevertsIt()
    {
        var flowId = NewFlowId();
        var flow = Flow.Unordered("race")
            .Add<GatedTask>("slow", provides: "slow", inject: ("value", "S"))
            .Add<FailingTask>("fails")
            .Build();
        var handle = await StartAsync(flow, flowId);
        await TaskGates.WaitEnteredAsync(flowId, "slow").WaitAsync(Timeout);

        var waiting = await WaitForAsync(handle, s => s.Atom("fails").State == AtomState.Reverted, "fails REVERTED");
        Assert.Equal(AtomState.Running, waiting.Atom("slow").State);
        Assert.Equal(FlowState.Running, waiting.State);

        TaskGates.Open(flowId, "slow");
        var exception = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync().WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, exception.State);
        var revert = TaskJournal.Revert(flowId, "slow");
        Assert.True(revert.OutcomeIsSuccess);
        Assert.Equal("S", revert.Result);
        Assert.True(OrderOf(flowId, "slow", TaskAction.Execute) < revert.Order);
        Assert.Equal(["fails"], revert.FlowFailures!.Keys);
    }
}
