using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// <c>FlowEngine.Changes.cs</c>: what the shell records after each batch of events (<see cref="FlowEngine.TakeChangedAtoms"/>),
/// execution ids, decider sources, and the way a run that cannot go on reaches FAILURE.
/// </summary>
public sealed class FlowEngineChangesTests
{
    private readonly FakeTaskCatalog _tasks = Catalog().Decider("yes", _ => true);

    private EngineDriver Linear(params string[] atoms) => _tasks.Drive(AddAll(Flow.Linear("f"), atoms));

    private EngineDriver Unordered(params string[] atoms) => _tasks.Drive(AddAll(Flow.Unordered("u"), atoms));

    private static FlowBuilder AddAll(FlowBuilder builder, string[] atoms)
    {
        foreach (var atom in atoms)
        {
            builder.Add("noop", name: atom);
        }

        return builder;
    }

    private static List<string> Taken(EngineDriver driver) => driver.Names(driver.Engine.TakeChangedAtoms());

    // ---- TakeChangedAtoms ----

    [Fact]
    public void TakeChangedAtoms_NewEngine_ReturnsNothing()
    {
        var driver = Linear("a", "b", "c");

        Assert.Empty(driver.Engine.TakeChangedAtoms());
    }

    [Fact]
    public void TakeChangedAtoms_AfterStartOfLinearFlow_ReturnsTheFirstAtomOnly()
    {
        var driver = Linear("a", "b", "c");
        driver.Start();

        Assert.Equal(["a"], Taken(driver));
    }

    [Fact]
    public void TakeChangedAtoms_AfterOnExecuted_ReturnsThatAtomThenItsSuccessor()
    {
        var driver = Linear("a", "b", "c");
        driver.Start();
        driver.Engine.TakeChangedAtoms();

        driver.Executed("a");

        Assert.Equal(["a", "b"], Taken(driver));
        Assert.Equal(AtomState.Success, driver.State("a"));
        Assert.Equal(AtomState.Running, driver.State("b"));
    }

    [Fact]
    public void TakeChangedAtoms_CalledTwice_SecondCallReturnsNothing()
    {
        var driver = Linear("a", "b");
        driver.Start();
        driver.Executed("a");

        var first = driver.Engine.TakeChangedAtoms();
        var second = driver.Engine.TakeChangedAtoms();

        Assert.Equal(["a", "b"], driver.Names(first));
        Assert.Empty(second);
    }

    [Fact]
    public void TakeChangedAtoms_AtomChangedAgainAfterACall_IsReturnedAgain()
    {
        var driver = Linear("a", "b");
        driver.Start();
        Assert.Equal(["a"], Taken(driver));

        driver.Executed("a");

        Assert.Equal(["a", "b"], Taken(driver));
    }

    [Fact]
    public void TakeChangedAtoms_AtomChangedInSeveralStepsBetweenCalls_ReturnsItOnceInFirstChangeOrder()
    {
        var driver = Linear("a", "b", "c");
        driver.Start();
        driver.Executed("a");
        driver.Executed("b");

        // a: RUNNING (start), SUCCESS; b: RUNNING, SUCCESS; c: RUNNING.
        Assert.Equal(["a", "b", "c"], Taken(driver));
    }

    [Fact]
    public void TakeChangedAtoms_AtomChangedSeveralTimesInOneStep_ReturnsItOnce()
    {
        var driver = Linear("a", "b");
        driver.Start();
        driver.Executed("a");
        driver.Engine.TakeChangedAtoms();

        var failure = driver.Executed("b", succeeded: false);

        // b went FAILURE, intention REVERT and REVERTING in the one step; a only changed its intention.
        Assert.Equal(
            ["b.t FAILURE", "b.t REVERTING"],
            failure.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Equal(["b", "a"], Taken(driver));
        Assert.Equal(Intention.Revert, driver.Engine.GetIntention(driver.Id("a")));
        Assert.Equal(Intention.Revert, driver.Engine.GetIntention(driver.Id("b")));
    }

    [Fact]
    public void TakeChangedAtoms_FailureResolvedWithRevertAll_ReturnsEveryAtomWhoseIntentionChanged()
    {
        var driver = Linear("a", "b", "c");
        driver.Start();
        driver.Executed("a");
        driver.Engine.TakeChangedAtoms();

        var failure = driver.Executed("b", succeeded: false);

        Assert.Equal(ResolutionStrategy.RevertAll, Assert.Single(failure.Resolutions).Strategy);
        // b first (its state changed first), then the others in atom order as RevertAll set their intentions; c is still PENDING.
        Assert.Equal(["b", "a", "c"], Taken(driver));
        Assert.Equal(AtomState.Pending, driver.State("c"));
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(Intention.Revert, driver.Engine.GetIntention(atom.Id)));
    }

    [Fact]
    public void TakeChangedAtoms_SecondFailureAfterRevertAll_ReturnsOnlyTheFailedAtom()
    {
        var driver = Unordered("a", "b", "c");
        driver.Start();
        driver.Engine.TakeChangedAtoms();
        driver.Executed("a", succeeded: false);
        Assert.Equal(["a", "b", "c"], Taken(driver));

        var second = driver.Executed("b", succeeded: false);

        // Intentions are already REVERT: RevertAll is not applied again, so c, still RUNNING, did not change.
        Assert.False(Assert.Single(second.Resolutions).Applied);
        Assert.Equal(["b"], Taken(driver));
        Assert.Equal(AtomState.Running, driver.State("c"));
    }

    [Fact]
    public void TakeChangedAtoms_FailureRecordedInRetryHistory_ReturnsTheRetryThoughOnlyItsHistoryChanged()
    {
        var driver = _tasks.Drive(Flow.Unordered("u").Add("noop", name: "a").Add("noop", name: "b").WithRetry(Retry.Times(3, name: "r")));
        driver.Start();
        driver.Complete("r");
        driver.Executed("a", succeeded: false);
        Assert.Equal(["r", "a", "b"], Taken(driver));
        var retryIntention = driver.Engine.GetIntention(driver.Id("r"));

        var second = driver.Executed("b", succeeded: false);

        // r's OnFailure recorded b's failure in its history; its state and intention stayed as they were.
        Assert.Equal(["b.t FAILURE", "b.t REVERTING"], second.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Equal(["b", "r"], Taken(driver));
        Assert.Equal(AtomState.Success, driver.State("r"));
        Assert.Equal(Intention.Retry, retryIntention);
        Assert.Equal(Intention.Retry, driver.Engine.GetIntention(driver.Id("r")));
        Assert.Equal(["a", "b"], driver.Engine.GetRetryHistory(driver.Id("r"))[0].Failures.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TakeChangedAtoms_RetryExecuted_ReturnsTheRetryThenItsSubflow()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("noop", name: "a").WithRetry(Retry.Times(3, name: "r")));
        driver.Start();
        Assert.Equal(["r"], Taken(driver));

        driver.Complete("r");

        Assert.Equal(["r", "a"], Taken(driver));
        Assert.Single(driver.Engine.GetRetryHistory(driver.Id("r")).Attempts);
    }

    [Fact]
    public void TakeChangedAtoms_AfterRestore_ReturnsNothingUntilAnAtomChanges()
    {
        var original = Linear("a", "b", "c");
        original.Start();
        original.Executed("a");
        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);

        var afterRestore = restored.Engine.TakeChangedAtoms();
        var resume = restored.Resume();
        var afterResume = restored.Engine.TakeChangedAtoms();
        restored.Executed("b");
        var afterExecuted = restored.Engine.TakeChangedAtoms();

        Assert.Empty(afterRestore);
        // Resuming re-dispatches b with the same attempt: nothing about any atom changed, only the flow's state.
        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.All(resume.Changes, change => Assert.True(change.IsFlow));
        Assert.Empty(afterResume);
        Assert.Equal(["b", "c"], restored.Names(afterExecuted));
    }

    // ---- GetExecutionId ----

    [Fact]
    public void GetExecutionId_RetriedSubflow_CarriesEachDispatchAttempt()
    {
        // conditional fails unless x == y; Times provides the attempt number as x, so the second attempt succeeds.
        var driver = _tasks.Drive(Flow.Linear("f").Add("conditional", name: "t").WithRetry(Retry.Times(3, name: "r", provides: "x")), Inputs(("y", 2)));
        var ids = new List<string>();

        void Dispatched(EngineStep step)
        {
            foreach (var atom in step.Execute.Concat(step.ExecuteRetries))
            {
                ids.Add(driver.Engine.GetExecutionId("run-1", atom));
            }
        }

        Dispatched(driver.Start());
        while (driver.Outstanding.Count > 0)
        {
            Dispatched(driver.Complete(driver.Name(driver.Outstanding.First().Atom)));
        }

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(["run-1/r/1", "run-1/t/1", "run-1/r/2", "run-1/t/2"], ids);
        Assert.Equal(2, driver.Engine.GetAttempt(driver.Id("t")));
    }

    [Fact]
    public void GetExecutionId_FirstAttempt_IsRunIdAtomNameAndOne()
    {
        var driver = Linear("a", "b");
        driver.Start();

        Assert.Equal("run-7/a/1", driver.Engine.GetExecutionId("run-7", driver.Id("a")));
    }

    // ---- IsDeciderSource ----

    [Fact]
    public void IsDeciderSource_GraphWithOneDecidedLink_IsTrueOnlyForThatLinksSource()
    {
        var driver = _tasks.Drive(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c")
            .Link("a", "b", decider: "yes")
            .Link("b", "c"));

        Assert.True(driver.Engine.IsDeciderSource(driver.Id("a")));
        Assert.False(driver.Engine.IsDeciderSource(driver.Id("b")));
        Assert.False(driver.Engine.IsDeciderSource(driver.Id("c")));
    }

    [Fact]
    public void IsDeciderSource_FlowWithoutDeciders_IsFalseForEveryAtom()
    {
        var driver = Linear("a", "b", "c");

        Assert.All(driver.Flow.Atoms, atom => Assert.False(driver.Engine.IsDeciderSource(atom.Id)));
    }

    // ---- FailUnrecoverable ----

    public static TheoryData<FlowState, FlowState[]> UnrecoverablePaths => new()
    {
        { FlowState.Pending, [FlowState.Running, FlowState.Failure] },
        { FlowState.Running, [FlowState.Failure] },
        { FlowState.Suspending, [FlowState.Failure] },
        { FlowState.Suspended, [FlowState.Running, FlowState.Failure] },
        { FlowState.Resuming, [FlowState.Suspended, FlowState.Running, FlowState.Failure] },
        { FlowState.Success, [] },
        { FlowState.Failure, [] },
        { FlowState.Reverted, [] },
    };

    [Fact]
    public void FailUnrecoverable_TheoryData_CoversEveryFlowState()
    {
        Assert.Equal(Enum.GetValues<FlowState>().Order(), UnrecoverablePaths.Select(row => (FlowState)row[0]!).Order());
    }

    [Theory]
    [MemberData(nameof(UnrecoverablePaths))]
    public void FailUnrecoverable_EachFlowState_ReachesFailureThroughAllowedTransitions(FlowState from, FlowState[] expected)
    {
        var changes = FlowEngine.FailUnrecoverable(from);

        Assert.Equal(expected, changes.Select(change => change.FlowTo));
        var state = from;
        foreach (var change in changes)
        {
            Assert.True(change.IsFlow);
            Assert.Equal(state, (FlowState)change.From);
            Assert.Contains((state, change.FlowTo), FlowTransitions.AllowedTransitions);
            Assert.True(FlowTransitions.Check(state, change.FlowTo));
            state = change.FlowTo;
        }

        if (changes.Count > 0)
        {
            Assert.Equal(FlowState.Failure, changes[^1].FlowTo);
        }
    }
}
