using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// A restored run passes through RESUMING as TaskFlow's flow table allows (states.py: "(RUNNING, RESUMING) resuming from a
/// previous running", "(RESUMING, SUSPENDED) after flow resumed, it is suspended", "(SUSPENDED, RUNNING) restart from
/// suspended"), then re-dispatches what was in flight with the same attempt.
/// </summary>
public sealed class ResumeThroughResumingTests
{
    private readonly FakeTaskCatalog _tasks = Catalog();

    private EngineDriver LinearAb() => _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").Add("progressing", name: "b"));

    private EngineDriver Restored(EngineDriver original) =>
        new(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks, store: original.Store);

    private static List<string> Rendered(EngineDriver driver, EngineStep step) =>
        [.. step.Changes.Select(change => EngineDriver.Render(driver.Flow, change))];

    private static void AssertFlowChangesAllowed(EngineDriver driver)
    {
        foreach (var change in driver.Steps.SelectMany(step => step.Changes).Where(change => change.IsFlow))
        {
            Assert.Contains(((FlowState)change.From, change.FlowTo), FlowTransitions.AllowedTransitions);
        }
    }

    [Fact]
    public void Resume_RestoredRunningRunWithAtomInFlight_PassesThroughResumingAndRedispatchesSameAttempt()
    {
        var original = LinearAb();
        original.Start();
        var originalId = original.Engine.GetExecutionId("run-1", original.Id("a"));

        var restored = Restored(original);
        var resume = restored.Resume();

        Assert.Equal(
            [StateChange.Flow(FlowState.Running, FlowState.Resuming),
             StateChange.Flow(FlowState.Resuming, FlowState.Suspended),
             StateChange.Flow(FlowState.Suspended, FlowState.Running)],
            resume.Changes);
        Assert.Equal(["a"], restored.Names(resume.Execute));
        Assert.Empty(resume.Revert);
        Assert.Empty(resume.ExecuteRetries);
        Assert.Empty(resume.RevertRetries);
        Assert.Null(resume.Finished);
        Assert.Equal(FlowState.Running, restored.Engine.State);
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("a")));
        Assert.Equal(originalId, restored.Engine.GetExecutionId("run-1", restored.Id("a")));
        Assert.Equal("run-1/a/1", originalId);

        var state = restored.RunToEnd();

        Assert.Equal(FlowState.Success, state);
        Assert.Equal(AtomState.Success, restored.State("a"));
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("a")));
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING",
             "a.t SUCCESS(5)",
             "b.t RUNNING", "b.t SUCCESS(5)",
             "f.f SUCCESS"],
            restored.Capture);
        AssertFlowChangesAllowed(restored);
    }

    [Fact]
    public void Resume_RestoredSuspendingRun_PassesThroughResumingThenSuspendsAgainAndEndsSuspended()
    {
        var original = LinearAb();
        original.Start();
        original.Suspend();

        var restored = Restored(original);
        var resume = restored.Resume();

        Assert.Equal(
            [StateChange.Flow(FlowState.Suspending, FlowState.Resuming),
             StateChange.Flow(FlowState.Resuming, FlowState.Suspended),
             StateChange.Flow(FlowState.Suspended, FlowState.Running),
             StateChange.Flow(FlowState.Running, FlowState.Suspending)],
            resume.Changes);
        Assert.Equal(["a"], restored.Names(resume.Execute));
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("a")));
        Assert.Equal(FlowState.Suspending, restored.Engine.State);

        var done = restored.Complete("a");

        Assert.Equal(FlowState.Suspended, done.Finished);
        Assert.Equal(FlowState.Suspended, restored.Engine.State);
        Assert.Empty(done.Execute);
        Assert.Empty(restored.Outstanding);
        Assert.Equal(AtomState.Success, restored.State("a"));
        Assert.Equal(AtomState.Pending, restored.State("b"));
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING", "f.f SUSPENDING",
             "a.t SUCCESS(5)",
             "f.f SUSPENDED"],
            restored.Capture);
        AssertFlowChangesAllowed(restored);
    }

    [Fact]
    public void Resume_RestoredSuspendingRunResumedAgain_RunsOnWithoutAnotherResumingPassage()
    {
        var original = LinearAb();
        original.Start();
        original.Suspend();
        var restored = Restored(original);
        restored.Resume();
        restored.Complete("a");

        var again = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["f.f RUNNING", "b.t RUNNING"], Rendered(restored, again));
        Assert.Equal(["b"], restored.Names(again.Execute));
        Assert.Equal(FlowState.Success, state);
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("b")));
    }

    [Fact]
    public void Resume_RestoredRunningRunWithNothingInFlight_PassesThroughResumingAndSchedulesWhatIsReady()
    {
        // A crash after a's success was recorded and before b was dispatched.
        var flow = _tasks.Compile(Flow.Linear("f").Add("progressing", name: "a").Add("progressing", name: "b"));
        var memento = Mementos.Of(flow, FlowState.Running,
            new Dictionary<string, AtomState> { ["a"] = AtomState.Success, ["b"] = AtomState.Pending });
        var restored = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);
        Assert.Equal(0, restored.Engine.InFlight);

        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING", "b.t RUNNING"], Rendered(restored, resume));
        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.Empty(resume.Revert);
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("b")));
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("a")));
        Assert.Equal(FlowState.Success, state);
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING",
             "b.t RUNNING", "b.t SUCCESS(5)",
             "f.f SUCCESS"],
            restored.Capture);
        AssertFlowChangesAllowed(restored);
    }

    [Fact]
    public void Resume_RestoredRunningRunWithEveryAtomDone_PassesThroughResumingAndFinishes()
    {
        // A crash after the last atom's success was recorded and before the flow's end was.
        var flow = _tasks.Compile(Flow.Linear("f").Add("progressing", name: "a").Add("progressing", name: "b"));
        var memento = Mementos.Of(flow, FlowState.Running,
            new Dictionary<string, AtomState> { ["a"] = AtomState.Success, ["b"] = AtomState.Success });
        var restored = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);

        var resume = restored.Resume();

        Assert.Equal(["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING", "f.f SUCCESS"], Rendered(restored, resume));
        Assert.Equal(FlowState.Success, resume.Finished);
        Assert.Empty(resume.Execute);
        Assert.Empty(resume.Revert);
        Assert.Empty(restored.Outstanding);
        AssertFlowChangesAllowed(restored);
    }

    [Fact]
    public void Resume_RestoredSuspendedRun_GoesRunningWithoutPassingThroughResuming()
    {
        var original = LinearAb();
        original.Start();
        original.Suspend();
        original.Complete("a");
        Assert.Equal(FlowState.Suspended, original.Engine.State);

        var restored = Restored(original);
        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["f.f RUNNING", "b.t RUNNING"], Rendered(restored, resume));
        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.Equal(FlowState.Success, state);
    }

    [Theory]
    [InlineData(FlowState.Success)]
    [InlineData(FlowState.Reverted)]
    public void Resume_RestoredFinishedRun_DoesNothing(FlowState finished)
    {
        var flow = _tasks.Compile(Flow.Linear("f").Add("progressing", name: "a"));
        var memento = Mementos.Of(flow, finished,
            new Dictionary<string, AtomState> { ["a"] = finished == FlowState.Success ? AtomState.Success : AtomState.Reverted });
        var restored = new EngineDriver(FlowEngine.Restore(flow, memento), _tasks);

        var resume = restored.Resume();

        Assert.True(resume.IsEmpty);
        Assert.Equal(finished, restored.Engine.State);
    }
}
