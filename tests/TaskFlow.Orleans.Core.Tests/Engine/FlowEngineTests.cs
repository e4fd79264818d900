using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// Drives the engine by hand, completing dispatched atoms as executors would, and compares traces in the form of
/// TaskFlow's CaptureListener ("a.t RUNNING", "flow.f SUCCESS"), as TaskFlow's own test_engines.py does.
/// </summary>
public sealed class FlowEngineTests
{
    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop();

    private static FlowBuilder Linear(string name, params string[] atoms) => AddAll(Flow.Linear(name), atoms);

    private static FlowBuilder Unordered(string name, params string[] atoms) => AddAll(Flow.Unordered(name), atoms);

    private static FlowBuilder AddAll(FlowBuilder builder, string[] atoms)
    {
        foreach (var atom in atoms)
        {
            builder.Add("noop", name: atom);
        }

        return builder;
    }

    private EngineDriver Drive(FlowBuilder flow) => new(_catalog.Compile(flow));

    // ---- execution order ----

    [Fact]
    public void Run_LinearFlow_ExecutesInOrderAndSucceeds()
    {
        var driver = Drive(Linear("f", "a", "b", "c"));

        var start = driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(["a"], driver.Names(start.Execute));
        Assert.Equal(FlowState.Success, state);
        Assert.Equal(FlowState.Success, driver.Steps[^1].Finished);
        Assert.Equal(
            ["f.f RUNNING",
             "a.t RUNNING", "a.t SUCCESS",
             "b.t RUNNING", "b.t SUCCESS",
             "c.t RUNNING", "c.t SUCCESS",
             "f.f SUCCESS"],
            driver.Trace);
        Assert.Equal(0, driver.Engine.InFlight);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(1, driver.Engine.GetAttempt(atom.Id)));
    }

    [Fact]
    public void Start_LinearFlow_LeavesLaterAtomsPending()
    {
        var driver = Drive(Linear("f", "a", "b"));

        driver.Start();

        Assert.Equal(FlowState.Running, driver.Engine.State);
        Assert.Equal(AtomState.Running, driver.State("a"));
        Assert.Equal(AtomState.Pending, driver.State("b"));
        Assert.Equal(1, driver.Engine.GetAttempt(driver.Id("a")));
        Assert.Equal(0, driver.Engine.GetAttempt(driver.Id("b")));
        Assert.Equal(1, driver.Engine.InFlight);
    }

    [Fact]
    public void Start_UnorderedFlow_DispatchesEveryAtomInOneStep()
    {
        var driver = Drive(Unordered("f", "a", "b", "c"));

        var start = driver.Start();

        Assert.Equal(["a", "b", "c"], driver.Names(start.Execute));
        Assert.Equal(["f.f RUNNING", "a.t RUNNING", "b.t RUNNING", "c.t RUNNING"], driver.Trace);
        Assert.Equal(3, driver.Engine.InFlight);
    }

    [Fact]
    public void Run_UnorderedFlowCompletingInAnyOrder_SucceedsAfterTheLast()
    {
        var driver = Drive(Unordered("f", "a", "b", "c"));
        driver.Start();

        var first = driver.Executed("c");
        var second = driver.Executed("a");
        var last = driver.Executed("b");

        Assert.Null(first.Finished);
        Assert.Null(second.Finished);
        Assert.Empty(first.Execute);
        Assert.Equal(FlowState.Success, last.Finished);
        Assert.Equal(["b.t SUCCESS", "f.f SUCCESS"], last.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
    }

    [Fact]
    public void Run_GraphFlow_ExecutesInOrderOfInferredDependencies()
    {
        var driver = Drive(Flow.Graph("boot")
            .Add("noop", name: "notify", requires: "vm-id")
            .Add("noop", name: "vm", requires: ["ip", "volume"], provides: "vm-id")
            .Add("noop", name: "ip", provides: "ip")
            .Add("noop", name: "volume", provides: "volume"));

        var start = driver.Start();
        var afterVolume = driver.Executed("volume");
        var afterIp = driver.Executed("ip");
        var afterVm = driver.Executed("vm");
        var afterNotify = driver.Executed("notify");

        Assert.Equal(["ip", "volume"], driver.Names(start.Execute));
        Assert.Empty(afterVolume.Execute);
        Assert.Equal(["vm"], driver.Names(afterIp.Execute));
        Assert.Equal(["notify"], driver.Names(afterVm.Execute));
        Assert.Equal(FlowState.Success, afterNotify.Finished);
    }

    [Fact]
    public void Run_GraphFlowWithExplicitLinks_ExecutesInLinkOrder()
    {
        var driver = Drive(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c")
            .Link("c", "b").Link("b", "a"));

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(["+c", "+b", "+a"], driver.DispatchBatches());
    }

    [Fact]
    public void Run_NestedPatterns_NextItemWaitsForTheWholeSubflow()
    {
        var driver = Drive(Flow.Linear("f")
            .Add("noop", name: "a")
            .Add(Flow.Unordered("u").Add("noop", name: "b").Add(Linear("l", "c", "d")))
            .Add("noop", name: "e"));

        driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Success, state);
        Assert.Equal(["+a", "+b +c", "+d", "+e"], driver.DispatchSets());
        Assert.True(driver.Trace.IndexOf("e.t RUNNING") > driver.Trace.IndexOf("b.t SUCCESS"));
        Assert.True(driver.Trace.IndexOf("e.t RUNNING") > driver.Trace.IndexOf("d.t SUCCESS"));
        // Pattern start and end markers finish silently: only atoms and the flow are reported.
        Assert.All(driver.Steps.SelectMany(s => s.Changes), c => Assert.True(c.IsFlow || driver.Flow.IsAtom(c.AtomId)));
        Assert.Equal(12, driver.Trace.Count);
    }

    [Fact]
    public void Start_AtomsWithPriorities_DispatchesHighestFirstAndTiesInDefinitionOrder()
    {
        var driver = Drive(Flow.Unordered("f")
            .Add("noop", name: "low", priority: 1)
            .Add("noop", name: "high", priority: 5)
            .Add("noop", name: "zero-1")
            .Add("noop", name: "mid", priority: 3)
            .Add("noop", name: "zero-2")
            .Add("noop", name: "high-2", priority: 5));

        var start = driver.Start();

        Assert.Equal(["high", "high-2", "mid", "low", "zero-1", "zero-2"], driver.Names(start.Execute));
        // TaskFlow's scheduler sorts the batch before changing states, so RUNNING is reported in the same order
        // (test_engines.EngineParallelFlowTest.test_parallel_flow_with_priority).
        Assert.Equal(
            ["f.f RUNNING", "high.t RUNNING", "high-2.t RUNNING", "mid.t RUNNING", "low.t RUNNING", "zero-1.t RUNNING", "zero-2.t RUNNING"],
            driver.Trace);
    }

    [Fact]
    public void Start_NegativePriority_GoesAfterDefault()
    {
        var driver = Drive(Flow.Unordered("f").Add("noop", name: "later", priority: -1).Add("noop", name: "normal"));

        Assert.Equal(["normal", "later"], driver.Names(driver.Start().Execute));
    }

    // ---- failure and revert ----

    [Fact]
    public void Run_LinearChainLastFails_RevertsFailedAtomFirstThenBackToTheFirst()
    {
        var driver = Drive(Linear("f", "a", "b", "c"));
        driver.FailExecute.Add("c");

        driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(
            ["f.f RUNNING",
             "a.t RUNNING", "a.t SUCCESS",
             "b.t RUNNING", "b.t SUCCESS",
             "c.t RUNNING", "c.t FAILURE",
             "c.t REVERTING", "c.t REVERTED",
             "b.t REVERTING", "b.t REVERTED",
             "a.t REVERTING", "a.t REVERTED",
             "f.f REVERTED"],
            driver.Trace);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(Intention.Revert, driver.Engine.GetIntention(atom.Id)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(50)]
    public void Run_LinearChainOfNLastFails_RevertsNDownToOne(int n)
    {
        var names = Enumerable.Range(1, n).Select(i => $"t{i}").ToArray();
        var driver = Drive(Linear("f", names));
        driver.FailExecute.Add($"t{n}");

        driver.Start();
        var state = driver.RunToEnd();

        var reverts = driver.Trace.Where(line => line.EndsWith(" REVERTING", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf('.')]);
        Assert.Equal(names.Reverse(), reverts);
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal("f.f REVERTED", driver.Trace[^1]);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
    }

    [Fact]
    public void Run_LinearChainMiddleFails_LaterAtomsNeverRunNorRevert()
    {
        var driver = Drive(Linear("f", "a", "b", "c", "d"));
        driver.FailExecute.Add("b");

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["+a", "+b", "-b", "-a"], driver.DispatchBatches());
        Assert.Equal(AtomState.Pending, driver.State("c"));
        Assert.Equal(AtomState.Pending, driver.State("d"));
    }

    [Fact]
    public void Run_FailureAfterSubflows_RevertsThroughNestedAndEmptyPatterns()
    {
        var driver = Drive(Flow.Linear("f")
            .Add("noop", name: "a")
            .Add(Flow.Unordered("none"))
            .Add(Flow.Graph("g").Add(Linear("l", "b", "c")))
            .Add("noop", name: "d"));
        driver.FailExecute.Add("d");

        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(["+a", "+b", "+c", "+d", "-d", "-c", "-b", "-a"], driver.DispatchBatches());
    }

    [Fact]
    public void GetIntention_BeforeAndAfterAFailure_ChangesFromExecuteToRevert()
    {
        var driver = Drive(Unordered("f", "a", "b"));
        driver.Start();
        var before = driver.Flow.Atoms.Select(a => driver.Engine.GetIntention(a.Id)).ToList();

        driver.Executed("a", succeeded: false);

        Assert.All(before, intention => Assert.Equal(Intention.Execute, intention));
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(Intention.Revert, driver.Engine.GetIntention(atom.Id)));
        Assert.True(driver.Engine.IsReverting);
    }

    [Fact]
    public void Run_GraphDiamondLastFails_SuccessorsRevertBeforePredecessorsAndBranchesTogether()
    {
        var driver = Drive(Flow.Graph("g")
            .Add("noop", name: "a", provides: "x")
            .Add("noop", name: "b", requires: "x", provides: "y")
            .Add("noop", name: "c", requires: "x", provides: "z")
            .Add("noop", name: "d", requires: ["y", "z"]));
        driver.FailExecute.Add("d");

        driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(["+a", "+b +c", "+d", "-d", "-b -c", "-a"], driver.DispatchSets());
        Assert.True(driver.Trace.IndexOf("a.t REVERTING") > driver.Trace.IndexOf("b.t REVERTED"));
        Assert.True(driver.Trace.IndexOf("a.t REVERTING") > driver.Trace.IndexOf("c.t REVERTED"));
    }

    [Fact]
    public void Run_GraphDiamondOneBranchRevertedFirst_PredecessorWaitsForTheOther()
    {
        var driver = Drive(Flow.Graph("g")
            .Add("noop", name: "a", provides: "x")
            .Add("noop", name: "b", requires: "x", provides: "y")
            .Add("noop", name: "c", requires: "x", provides: "z")
            .Add("noop", name: "d", requires: ["y", "z"]));
        driver.Start();
        driver.Executed("a");
        driver.Executed("b");
        driver.Executed("c");
        driver.Executed("d", succeeded: false);
        driver.Reverted("d");

        var afterB = driver.Reverted("b");
        var aAfterB = driver.State("a");
        var afterC = driver.Reverted("c");

        Assert.Empty(afterB.Revert);
        Assert.Equal(AtomState.Success, aAfterB);
        Assert.Equal(["a"], driver.Names(afterC.Revert));
    }

    [Fact]
    public void Run_IndependentGraphBranchFails_OtherBranchRevertsInTheSameStep()
    {
        var driver = Drive(Flow.Graph("g")
            .Add("noop", name: "a", provides: "x")
            .Add("noop", name: "b", requires: "x")
            .Add("noop", name: "c", provides: "y")
            .Add("noop", name: "d", requires: "y"));
        var start = driver.Start();
        driver.Executed("a");
        driver.Executed("c");
        driver.Executed("b");

        var failure = driver.Executed("d", succeeded: false);
        var afterD = driver.Reverted("d");
        var afterB = driver.Reverted("b");
        var last = driver.Reverted("a");
        var end = driver.Reverted("c");

        Assert.Equal(["a", "c"], driver.Names(start.Execute));
        Assert.Equal(["b", "d"], driver.Names(failure.Revert).Order());
        Assert.Equal(["c"], driver.Names(afterD.Revert));
        Assert.Equal(["a"], driver.Names(afterB.Revert));
        Assert.Null(last.Finished);
        Assert.Equal(FlowState.Reverted, end.Finished);
    }

    [Fact]
    public void OnExecuted_FailureWhileOthersRun_RunningAtomsFinishThenRevert()
    {
        var driver = Drive(Flow.Linear("f").Add(Unordered("u", "a", "b", "c")).Add("noop", name: "d"));
        driver.Start();

        var failure = driver.Executed("a", succeeded: false);
        var bDone = driver.Executed("b");
        var aReverted = driver.Reverted("a");
        var stateWhileCRuns = driver.Engine.State;
        var cDone = driver.Executed("c");
        driver.Reverted("b");
        var end = driver.Reverted("c");

        Assert.Equal(["a.t FAILURE", "a.t REVERTING"], failure.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Equal(["a"], driver.Names(failure.Revert));
        Assert.Empty(failure.Execute);
        Assert.Equal(["b.t SUCCESS", "b.t REVERTING"], bDone.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Null(aReverted.Finished);
        Assert.Equal(["a.t REVERTED"], aReverted.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Equal(FlowState.Running, stateWhileCRuns);
        Assert.Equal(["c"], driver.Names(cDone.Revert));
        Assert.Equal(FlowState.Reverted, end.Finished);
        Assert.Equal(AtomState.Pending, driver.State("d"));
        Assert.DoesNotContain("d.t RUNNING", driver.Trace);
    }

    [Fact]
    public void OnReverted_RevertFails_FlowEndsFailureAndEarlierAtomsStayUnreverted()
    {
        var driver = Drive(Linear("f", "a", "b", "c"));
        driver.FailExecute.Add("c");
        driver.FailRevert.Add("b");

        driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Failure, state);
        Assert.Equal(
            ["f.f RUNNING",
             "a.t RUNNING", "a.t SUCCESS",
             "b.t RUNNING", "b.t SUCCESS",
             "c.t RUNNING", "c.t FAILURE",
             "c.t REVERTING", "c.t REVERTED",
             "b.t REVERTING", "b.t REVERT_FAILURE",
             "f.f FAILURE"],
            driver.Trace);
        Assert.Equal(AtomState.Success, driver.State("a"));
        Assert.Empty(driver.Outstanding);
    }

    [Fact]
    public void OnReverted_RevertFailsWhileAnotherRevertRuns_EndsFailureOnlyAfterItFinishes()
    {
        var driver = Drive(Flow.Linear("f").Add("noop", name: "a").Add(Unordered("u", "b", "c")).Add("noop", name: "d"));
        driver.Start();
        driver.Executed("a");
        driver.Executed("b");
        driver.Executed("c");
        driver.Executed("d", succeeded: false);
        var afterD = driver.Reverted("d");

        var bFails = driver.Reverted("b", succeeded: false);
        var cReverted = driver.Reverted("c");

        Assert.Equal(["b", "c"], driver.Names(afterD.Revert));
        Assert.Null(bFails.Finished);
        Assert.Empty(cReverted.Revert);
        Assert.Equal(FlowState.Failure, cReverted.Finished);
        Assert.Equal(AtomState.Reverted, driver.State("c"));
        Assert.Equal(AtomState.Success, driver.State("a"));
    }

    [Fact]
    public void OnExecuted_AtomFinishesAfterARevertFailed_IsNotReverted()
    {
        var driver = Drive(Unordered("f", "a", "b"));
        driver.Start();
        driver.Executed("a", succeeded: false);
        driver.Reverted("a", succeeded: false);

        var late = driver.Executed("b");

        Assert.Empty(late.Revert);
        Assert.Equal(AtomState.Success, driver.State("b"));
        Assert.Equal(FlowState.Failure, late.Finished);
    }

    [Fact]
    public void Run_TwoParallelFailures_BothRevertAndFlowEndsReverted()
    {
        var driver = Drive(Unordered("f", "a", "b"));
        driver.Start();

        var first = driver.Executed("a", succeeded: false);
        var second = driver.Executed("b", succeeded: false);
        driver.Reverted("a");
        var end = driver.Reverted("b");

        Assert.Equal(["a"], driver.Names(first.Revert));
        Assert.Equal(["b"], driver.Names(second.Revert));
        Assert.Equal(FlowState.Reverted, end.Finished);
        Assert.Equal(
            ["f.f RUNNING", "a.t RUNNING", "b.t RUNNING",
             "a.t FAILURE", "a.t REVERTING",
             "b.t FAILURE", "b.t REVERTING",
             "a.t REVERTED", "b.t REVERTED",
             "f.f REVERTED"],
            driver.Trace);
    }

    [Fact]
    public void OnReverted_SeveralAtomsReadyToRevertAtOnce_DispatchesHighestPriorityFirst()
    {
        // TaskFlow sorts every batch it schedules by priority, reverts included (builder.do_schedule).
        var driver = Drive(Flow.Linear("f")
            .Add(Flow.Unordered("u")
                .Add("noop", name: "low", priority: 1)
                .Add("noop", name: "high", priority: 5)
                .Add("noop", name: "mid", priority: 3))
            .Add("noop", name: "last"));
        driver.Start();
        driver.Executed("low");
        driver.Executed("high");
        driver.Executed("mid");
        driver.Executed("last", succeeded: false);

        var afterLast = driver.Reverted("last");

        Assert.Equal(["high", "mid", "low"], driver.Names(afterLast.Revert));
    }

    [Fact]
    public void OnExecuted_FailureWithSeveralAtomsToRevertAtOnce_DispatchesHighestPriorityFirst()
    {
        var driver = Drive(Flow.Unordered("f")
            .Add("noop", name: "low", priority: 1)
            .Add("noop", name: "high", priority: 5)
            .Add("noop", name: "failing"));
        driver.Start();
        driver.Executed("low");
        driver.Executed("high");

        var failure = driver.Executed("failing", succeeded: false);

        Assert.Equal(["high", "low", "failing"], driver.Names(failure.Revert));
    }

    // ---- duplicates ----

    [Fact]
    public void OnExecuted_DuplicateCompletion_IsIgnored()
    {
        var driver = Drive(Linear("f", "a", "b"));
        driver.Start();
        driver.Executed("a");

        var duplicate = driver.Engine.OnExecuted(driver.Id("a"), null);
        var lateFailure = driver.Engine.OnExecuteFailed(driver.Id("a"), EngineDriver.Woot);

        Assert.True(duplicate.IsEmpty);
        Assert.True(lateFailure.IsEmpty);
        Assert.Null(duplicate.Finished);
        Assert.Equal(AtomState.Success, driver.State("a"));
        Assert.Equal(AtomState.Running, driver.State("b"));
        Assert.Equal(1, driver.Engine.GetAttempt(driver.Id("b")));
        Assert.Equal(1, driver.Engine.InFlight);
        Assert.False(driver.Engine.IsReverting);
        Assert.Equal(FlowState.Success, driver.RunToEnd());
    }

    [Fact]
    public void OnExecuted_AtomNeverDispatched_IsIgnored()
    {
        var driver = Drive(Linear("f", "a", "b"));
        driver.Start();

        var step = driver.Engine.OnExecuted(driver.Id("b"), null);

        Assert.True(step.IsEmpty);
        Assert.Equal(AtomState.Pending, driver.State("b"));
        Assert.Equal(1, driver.Engine.InFlight);
    }

    [Fact]
    public void OnReverted_DuplicateCompletion_IsIgnored()
    {
        var driver = Drive(Linear("f", "a", "b"));
        driver.Start();
        driver.Executed("a");
        driver.Executed("b", succeeded: false);
        driver.Reverted("b");

        var duplicate = driver.Engine.OnReverted(driver.Id("b"));
        var lateFailure = driver.Engine.OnRevertFailed(driver.Id("b"), EngineDriver.Gotcha);

        Assert.True(duplicate.IsEmpty);
        Assert.True(lateFailure.IsEmpty);
        Assert.Equal(AtomState.Reverted, driver.State("b"));
        Assert.Equal(AtomState.Reverting, driver.State("a"));
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
    }

    // ---- capture, restore, resume ----

    [Fact]
    public void Resume_AfterRestoreWithRunningAtom_RedispatchesItWithSameAttemptAndSucceeds()
    {
        var definition = Linear("f", "a", "b", "c");
        var original = Drive(definition);
        original.Start();
        original.Executed("a");
        var memento = original.Engine.Capture();

        var restored = new EngineDriver(FlowEngine.Restore(_catalog.Compile(definition), memento));
        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.Empty(resume.Revert);
        // A restored RUNNING run passes through RESUMING (TaskFlow's flow table); no atom changes state on resuming.
        Assert.Equal(["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING"], resume.Changes.Select(c => EngineDriver.Render(restored.Flow, c)));
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("b")));
        Assert.Equal(FlowState.Success, state);
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING",
             "b.t SUCCESS", "c.t RUNNING", "c.t SUCCESS", "f.f SUCCESS"],
            restored.Trace);
    }

    [Fact]
    public void Resume_AfterRestoreWhileReverting_RedispatchesRunningAndRevertingAtomsAndEndsAsWithoutRestart()
    {
        var definition = Flow.Linear("f").Add("noop", name: "first").Add(Unordered("u", "a", "b", "c"));

        EngineDriver UpToCapture()
        {
            var driver = Drive(definition);
            driver.Start();
            driver.Executed("first");
            driver.Executed("c");
            driver.Executed("a", succeeded: false);
            return driver;
        }

        var uninterrupted = UpToCapture();
        uninterrupted.RunToEnd();

        var crashed = UpToCapture();
        var memento = crashed.Engine.Capture();
        var restored = new EngineDriver(FlowEngine.Restore(_catalog.Compile(definition), memento));
        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.Equal(["a", "c"], restored.Names(resume.Revert).Order());
        Assert.Equal(["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING"], resume.Changes.Select(c => EngineDriver.Render(restored.Flow, c)));
        Assert.All(restored.Flow.Atoms, atom => Assert.Equal(1, restored.Engine.GetAttempt(atom.Id)));
        Assert.True(restored.Engine.IsReverting);
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(uninterrupted.Engine.State, state);
        Assert.Equal(
            uninterrupted.Flow.Atoms.Select(a => uninterrupted.Engine.GetState(a.Id)),
            restored.Flow.Atoms.Select(a => restored.Engine.GetState(a.Id)));
        Assert.All(restored.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, restored.Engine.GetState(atom.Id)));
    }

    [Fact]
    public void Resume_AfterRestoreOfFailedRevert_RedispatchesInFlightRevertAndEndsFailure()
    {
        var definition = Flow.Linear("f").Add("noop", name: "a").Add(Unordered("u", "b", "c")).Add("noop", name: "d");
        var original = Drive(definition);
        original.Start();
        original.Executed("a");
        original.Executed("b");
        original.Executed("c");
        original.Executed("d", succeeded: false);
        original.Reverted("d");
        original.Reverted("b", succeeded: false);

        var restored = new EngineDriver(FlowEngine.Restore(_catalog.Compile(definition), original.Engine.Capture()));
        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["c"], restored.Names(resume.Revert));
        Assert.Equal(FlowState.Failure, state);
        Assert.Equal(AtomState.Success, restored.State("a"));
    }

    [Fact]
    public void Resume_AfterRestoreBetweenSteps_SchedulesWhatIsReady()
    {
        // Captured right after Start; nothing else done. Resume redispatches a, then the flow carries on normally.
        var definition = Unordered("f", "a", "b");
        var original = Drive(definition);
        original.Start();
        original.Executed("a");

        var restored = new EngineDriver(FlowEngine.Restore(_catalog.Compile(definition), original.Engine.Capture()));
        var resume = restored.Resume();

        Assert.Equal(["b"], restored.Names(resume.Execute));
        Assert.Equal(1, restored.Engine.InFlight);
        Assert.Equal(FlowState.Success, restored.RunToEnd());
    }

    [Fact]
    public void Resume_NeverStartedFlow_Starts()
    {
        var driver = Drive(Linear("f", "a"));

        var step = driver.Resume();

        Assert.Equal(["a"], driver.Names(step.Execute));
        Assert.Equal(["f.f RUNNING", "a.t RUNNING"], driver.Trace);
    }

    [Fact]
    public void Resume_FinishedFlow_DoesNothing()
    {
        var definition = Linear("f", "a");
        var original = Drive(definition);
        original.Start();
        original.RunToEnd();

        var restored = new EngineDriver(FlowEngine.Restore(_catalog.Compile(definition), original.Engine.Capture()));
        var step = restored.Resume();

        Assert.True(step.IsEmpty);
        Assert.Equal(FlowState.Success, restored.Engine.State);
    }

    [Fact]
    public void Restore_MementoOfAnotherFlowShape_Throws()
    {
        var original = Drive(Linear("f", "a", "b"));
        original.Start();

        var exception = Assert.Throws<InvalidOperationException>(
            () => FlowEngine.Restore(_catalog.Compile(Linear("f", "a", "b", "c")), original.Engine.Capture()));

        Assert.Contains("flow 'f'", exception.Message);
    }

    [Fact]
    public void Capture_LaterProgress_DoesNotChangeTheMemento()
    {
        var driver = Drive(Linear("f", "a", "b"));
        driver.Start();
        var memento = driver.Engine.Capture();

        driver.RunToEnd();

        Assert.Equal(FlowState.Running, memento.FlowState);
        Assert.Equal(AtomState.Running, memento.NodeStates[driver.Id("a")]);
        Assert.Equal(AtomState.Pending, memento.NodeStates[driver.Id("b")]);
        Assert.Equal([1, 0], memento.Attempts);
        Assert.False(memento.Reverting);
    }

    // ---- scale: a completion costs O(its successors), so each step dispatches exactly what became ready ----

    private static CompiledFlow Chain(FakeTaskCatalog catalog, int length)
    {
        var builder = Flow.Linear("chain");
        for (var i = 0; i < length; i++)
        {
            builder.Add("noop", name: $"t{i}");
        }

        return catalog.Compile(builder);
    }

    [Fact]
    public void Run_LinearChainOf10000_DispatchesExactlyOneAtomPerCompletion()
    {
        const int length = 10_000;
        var engine = new FlowEngine(Chain(_catalog, length));

        var start = engine.Start();
        Assert.Equal([0], start.Execute);
        for (var atom = 0; atom < length - 1; atom++)
        {
            var step = engine.OnExecuted(atom, null);
            Assert.Equal(atom + 1, Assert.Single(step.Execute));
            Assert.Equal(2, step.Changes.Count);
            Assert.Equal(1, engine.InFlight);
        }

        var last = engine.OnExecuted(length - 1, null);
        Assert.Empty(last.Execute);
        Assert.Equal(FlowState.Success, last.Finished);
        Assert.Equal(FlowState.Success, engine.State);
    }

    [Fact]
    public void Run_LinearChainOf10000LastFails_RevertsExactlyOneAtomPerStep()
    {
        const int length = 10_000;
        var engine = new FlowEngine(Chain(_catalog, length));
        engine.Start();
        for (var atom = 0; atom < length - 1; atom++)
        {
            engine.OnExecuted(atom, null);
        }

        var failure = engine.OnExecuteFailed(length - 1, EngineDriver.Woot);
        Assert.Equal(length - 1, Assert.Single(failure.Revert));
        for (var atom = length - 1; atom > 0; atom--)
        {
            var step = engine.OnReverted(atom);
            Assert.Equal(atom - 1, Assert.Single(step.Revert));
            Assert.Empty(step.Execute);
        }

        var end = engine.OnReverted(0);
        Assert.Empty(end.Revert);
        Assert.Equal(FlowState.Reverted, end.Finished);
    }
}
