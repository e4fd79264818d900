using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// TaskFlow's <c>test_suspend.py</c> (and the suspend scenarios of <c>test_engines.py</c>), plus cancel. TaskFlow's
/// SuspendingListener suspends from inside a task's notification, before the engine picks the next atoms; here that is a
/// suspend request arriving while the task still runs, then its completion.
/// </summary>
public sealed class SuspendScenarioTests
{
    private readonly FakeTaskCatalog _tasks = Catalog();

    private const string Woot = "Failure: RuntimeError: Woot!";

    /// <summary>The capture without flow states, as TaskFlow's <c>CaptureListener(capture_flow=False)</c>.</summary>
    private static List<string> Atoms(EngineDriver driver) => [.. driver.Capture.Where(line => !line.Contains(".f ", StringComparison.Ordinal))];

    private static List<string> FlowStates(EngineDriver driver) => [.. driver.Capture.Where(line => line.Contains(".f ", StringComparison.Ordinal))];

    private EngineDriver LinearAbc(string last = "progressing") =>
        _tasks.Drive(Flow.Linear("linear").Add("progressing", name: "a").Add("progressing", name: "b").Add(last, name: "c"));

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_one_task")]
    public void Suspend_FinishedFlow_IsIgnoredAndResumeDoesNothing()
    {
        var driver = _tasks.Drive(Flow.Linear("flow").Add("progressing", name: "a"));
        driver.Start();
        driver.RunToEnd();

        var suspend = driver.Suspend();
        var resume = driver.Resume();

        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(5)"], Atoms(driver));
        Assert.True(suspend.IsEmpty);
        Assert.True(resume.IsEmpty);
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_linear_flow")]
    public void Suspend_WhileTaskRuns_ItFinishesNothingNewStartsAndResumeRunsTheRest()
    {
        var driver = LinearAbc();
        driver.Start();
        driver.Complete("a");

        var suspending = driver.Suspend();
        var suspended = driver.Complete("b");
        var before = Atoms(driver);
        driver.Resume();
        var state = driver.RunToEnd();

        Assert.Equal(["linear.f SUSPENDING"], suspending.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Empty(suspended.Execute);
        Assert.Equal(FlowState.Suspended, suspended.Finished);
        Assert.Equal(["a.t RUNNING", "a.t SUCCESS(5)", "b.t RUNNING", "b.t SUCCESS(5)"], before);
        Assert.Equal(FlowState.Success, state);
        Assert.Equal(["c.t RUNNING", "c.t SUCCESS(5)"], Atoms(driver)[4..]);
        Assert.Equal(["linear.f RUNNING", "linear.f SUSPENDING", "linear.f SUSPENDED", "linear.f RUNNING", "linear.f SUCCESS"], FlowStates(driver));
    }

    private EngineDriver SuspendedWhileReverting()
    {
        var driver = LinearAbc(last: "failing");
        driver.Start();
        driver.Complete("a");
        driver.Complete("b");
        driver.Complete("c");
        driver.Complete("c");
        driver.Suspend();
        driver.Complete("b");
        return driver;
    }

    private static readonly string[] RevertSuspended =
    [
        "a.t RUNNING", "a.t SUCCESS(5)",
        "b.t RUNNING", "b.t SUCCESS(5)",
        "c.t RUNNING", $"c.t FAILURE({Woot})",
        "c.t REVERTING", "c.t REVERTED(None)",
        "b.t REVERTING", "b.t REVERTED(None)",
    ];

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_linear_flow_on_revert")]
    public void Suspend_WhileReverting_StopsBeforeTheNextRevertAndResumeFinishesReverting()
    {
        var driver = SuspendedWhileReverting();
        var suspended = Atoms(driver);
        var stateWhenSuspended = driver.Engine.State;

        driver.Resume();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Suspended, stateWhenSuspended);
        Assert.Equal(RevertSuspended, suspended);
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(["a.t REVERTING", "a.t REVERTED(None)"], Atoms(driver)[RevertSuspended.Length..]);
    }

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_and_resume_linear_flow_on_revert")]
    public void Resume_RestoredEngineOfAFlowSuspendedWhileReverting_FinishesReverting()
    {
        var original = SuspendedWhileReverting();

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);
        restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(RevertSuspended, Atoms(original));
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(["linear.f RUNNING", "a.t REVERTING", "a.t REVERTED(None)", "linear.f REVERTED"], restored.Capture);
    }

    [Fact]
    [Trait("TaskFlow", "test_suspend.SuspendTest.test_suspend_and_revert_even_if_task_is_gone")]
    public void Restore_SuspendedFlowWhoseDefinitionLostATask_IsRejected()
    {
        // Deviation: TaskFlow resumes the stored run with the task gone and reverts what remains. Here stored progress is
        // tied to the compiled shape, and a changed definition is refused with a clear message (the shell ends the run FAILURE).
        var original = SuspendedWhileReverting();
        var changed = _tasks.Compile(Flow.Linear("linear").Add("progressing", name: "a").Add("progressing", name: "b"));

        var exception = Assert.Throws<InvalidOperationException>(() => FlowEngine.Restore(changed, original.Engine.Capture()));

        Assert.Contains("definition changed", exception.Message);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineLinearFlowTest.test_sequential_flow_iter_suspend_resume")]
    public void Suspend_RightAfterFirstDispatch_FirstTaskFinishesAndResumeRunsTheSecond()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-2").Add("progressing", name: "task1").Add("progressing", name: "task2"));
        driver.Start();

        driver.Suspend();
        driver.RunToEnd();
        var suspended = Atoms(driver);
        var stateWhenSuspended = driver.Engine.State;
        driver.Resume();
        driver.RunToEnd();

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)"], suspended);
        Assert.Equal(FlowState.Suspended, stateWhenSuspended);
        Assert.Equal(["task2.t RUNNING", "task2.t SUCCESS(5)"], Atoms(driver)[2..]);
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    [Trait("TaskFlow", "test_engines.EngineResetTests.test_suspended_reset_run_again")]
    public void Suspend_AfterSecondDispatch_ResumeRunsTheThird()
    {
        // TaskFlow then resets the engine and runs everything again; a finished run is final here.
        var driver = _tasks.Drive(Flow.Linear("root").Add("progressing", name: "task1").Add("progressing", name: "task2").Add("progressing", name: "task3"));
        driver.Start();
        driver.Complete("task1");

        driver.Suspend();
        driver.RunToEnd();
        var suspended = Atoms(driver);
        driver.Resume();
        driver.RunToEnd();

        Assert.Equal(["task1.t RUNNING", "task1.t SUCCESS(5)", "task2.t RUNNING", "task2.t SUCCESS(5)"], suspended);
        Assert.Equal(["task3.t RUNNING", "task3.t SUCCESS(5)"], Atoms(driver)[4..]);
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    // ---- the flow transition table (TaskFlow's states.py) ----

    [Fact]
    public void Suspend_PendingFlow_IsIgnored()
    {
        var driver = LinearAbc();

        var step = driver.Suspend();

        Assert.True(step.IsEmpty);
        Assert.Equal(FlowState.Pending, driver.Engine.State);
    }

    [Fact]
    public void Suspend_Twice_SecondIsIgnored()
    {
        var driver = LinearAbc();
        driver.Start();
        driver.Suspend();

        var again = driver.Suspend();

        Assert.True(again.IsEmpty);
        Assert.Equal(FlowState.Suspending, driver.Engine.State);
    }

    [Fact]
    public void Suspend_WhileLastTaskRuns_FlowEndsSuccessNotSuspended()
    {
        // TaskFlow's game over: SUSPENDED only if atoms are left ready; SUSPENDING→SUCCESS is in the table.
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a"));
        driver.Start();
        driver.Suspend();

        var last = driver.Complete("a");

        Assert.Equal(FlowState.Success, last.Finished);
        Assert.Equal(["f.f RUNNING", "f.f SUSPENDING", "f.f SUCCESS"], FlowStates(driver));
    }

    [Fact]
    public void Suspend_WhileLastRevertRuns_FlowEndsReverted()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("failing", name: "a"));
        driver.Start();
        driver.Complete("a");
        driver.Suspend();

        var last = driver.Complete("a");

        Assert.Equal(FlowState.Reverted, last.Finished);
        Assert.Equal(["f.f RUNNING", "f.f SUSPENDING", "f.f REVERTED"], FlowStates(driver));
    }

    [Fact]
    public void Suspend_WhenAFailureArrives_ResolvesItButRevertsOnlyAfterResume()
    {
        var driver = _tasks.Drive(Flow.Unordered("f").Add("progressing", name: "a").Add("failing", name: "b"));
        driver.Start();
        driver.Suspend();

        var failure = driver.Complete("b");
        var done = driver.Complete("a");
        var resume = driver.Resume();

        Assert.Empty(failure.Revert);
        Assert.Equal(ResolutionStrategy.RevertAll, Assert.Single(failure.Resolutions).Strategy);
        Assert.Equal(FlowState.Suspended, done.Finished);
        Assert.Equal(["a", "b"], driver.Names(resume.Revert).Order());
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
    }

    [Fact]
    public void Suspend_WhileSubflowReverts_RetryWaitsToRetryUntilResumed()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("conditional", name: "t").WithRetry(Retry.Times(3, name: "r", provides: "x")),
            Inputs(("y", 2)));
        driver.Start();
        driver.Complete("r");
        driver.Complete("t");
        driver.Suspend();

        var reverted = driver.Complete("t");
        var retryState = driver.State("r");
        var retryIntention = driver.Engine.GetIntention(driver.Id("r"));
        var resume = driver.Resume();

        Assert.Equal(FlowState.Suspended, reverted.Finished);
        Assert.Equal(AtomState.Success, retryState);
        Assert.Equal(Intention.Retry, retryIntention);
        Assert.Equal(["r"], driver.Names(resume.ExecuteRetries));
        Assert.Equal(["f.f RUNNING", "r.r RETRYING", "t.t PENDING", "r.r RUNNING"], resume.Changes.Select(c => EngineDriver.Render(driver.Flow, c)));
        Assert.Equal(FlowState.Success, driver.RunToEnd());
    }

    [Fact]
    public void Resume_RestoredWhileSuspending_RedispatchesRunningAtomAndThenSuspends()
    {
        var definition = Flow.Linear("f").Add("progressing", name: "a").Add("progressing", name: "b");
        var original = _tasks.Drive(definition);
        original.Start();
        original.Suspend();

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);
        var resume = restored.Resume();
        var done = restored.Complete("a");

        Assert.Equal(["a"], restored.Names(resume.Execute));
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING", "f.f SUSPENDING"],
            resume.Changes.Select(c => EngineDriver.Render(restored.Flow, c)));
        Assert.Equal(1, restored.Engine.GetAttempt(restored.Id("a")));
        Assert.Equal(FlowState.Suspended, done.Finished);
        Assert.Equal(AtomState.Pending, restored.State("b"));
    }

    [Fact]
    public void Resume_RunningFlowOfALiveEngine_DoesNothing()
    {
        var driver = LinearAbc();
        driver.Start();

        var resume = driver.Resume();

        Assert.True(resume.IsEmpty);
        Assert.Single(driver.Outstanding);
    }

    [Fact]
    public void Start_AlreadyStarted_Throws()
    {
        var driver = LinearAbc();
        driver.Start();

        var exception = Assert.Throws<InvalidOperationException>(() => driver.Engine.Start());

        Assert.Contains("Resume", exception.Message);
    }

    // ---- cancel: a RevertAll with a cancellation failure ----

    [Fact]
    public void Cancel_RunningFlow_RunningAtomsFinishThenEverythingThatRanReverts()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").Add(Flow.Unordered("u").Add("progressing", name: "b").Add("progressing", name: "c")));
        driver.Start();
        driver.Complete("a");
        driver.Complete("b");

        var cancel = driver.Cancel();
        var state = driver.RunToEnd();

        Assert.Equal(["b"], driver.Names(cancel.Revert));
        Assert.Equal(new FailureResolution(-1, null, ResolutionStrategy.RevertAll, Applied: true), Assert.Single(cancel.Resolutions));
        Assert.Equal(FlowState.Reverted, state);
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
        Assert.Equal("TaskFlow.Orleans.FlowCancelledException", driver.Engine.CancellationFailure!.ExceptionTypeName);
        Assert.Equal(["f.f RUNNING", "f.f REVERTED"], FlowStates(driver));
    }

    [Fact]
    public void Cancel_WithReason_KeepsTheReason()
    {
        var driver = LinearAbc();
        driver.Start();
        var reason = Failure.Create("Ops.Abort", "Operator aborted the deployment.");

        driver.Cancel(reason);

        Assert.Same(reason, driver.Engine.CancellationFailure);
        Assert.Same(reason, driver.Engine.Capture().Cancellation);
    }

    [Fact]
    public void Cancel_FlowUnderRetry_DoesNotRetry()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").Add("conditional", name: "t")
            .WithRetry(Retry.Times(5, name: "r", provides: "x")), Inputs(("y", 3)));
        driver.Start();
        driver.Complete("r");
        driver.Complete("a");

        driver.Cancel();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.DoesNotContain("r.r RETRYING", driver.Capture);
        Assert.Equal(
            ["t.t RUNNING", $"t.t FAILURE({Woot})", "t.t REVERTING", "t.t REVERTED(None)", "a.t REVERTING", "a.t REVERTED(None)",
             "r.r REVERTING", "r.r REVERTED(None)", "f.f REVERTED"],
            driver.Capture[^9..]);
    }

    [Fact]
    public void Cancel_SuspendedFlow_ResumesToRevertAndEndsReverted()
    {
        var driver = LinearAbc();
        driver.Start();
        driver.Suspend();
        driver.RunToEnd();

        driver.Cancel();
        driver.RunToEnd();

        Assert.Equal(["linear.f RUNNING", "linear.f SUSPENDING", "linear.f SUSPENDED", "linear.f RUNNING", "linear.f REVERTED"], FlowStates(driver));
        Assert.Equal(AtomState.Reverted, driver.State("a"));
        Assert.Equal(AtomState.Pending, driver.State("b"));
    }

    [Fact]
    public void Cancel_WhileSuspending_FinishesSuspendingThenReverts()
    {
        var driver = LinearAbc();
        driver.Start();
        driver.Complete("a");
        driver.Suspend();

        var cancel = driver.Cancel();
        var b = driver.Complete("b");
        driver.RunToEnd();

        Assert.Empty(cancel.Revert);
        Assert.Equal(["b"], driver.Names(b.Revert));
        Assert.Equal(["linear.f RUNNING", "linear.f SUSPENDING", "linear.f SUSPENDED", "linear.f RUNNING", "linear.f REVERTED"], FlowStates(driver));
        Assert.Equal(FlowState.Reverted, driver.Engine.State);
    }

    [Fact]
    public void Cancel_PendingFlow_EndsRevertedWithoutRunningAnything()
    {
        var driver = LinearAbc();

        var cancel = driver.Cancel();

        Assert.Equal(FlowState.Reverted, cancel.Finished);
        Assert.Equal(["linear.f RUNNING", "linear.f REVERTED"], driver.Capture);
    }

    [Fact]
    public void Cancel_FinishedFlow_IsIgnored()
    {
        var driver = LinearAbc();
        driver.Start();
        driver.RunToEnd();

        var cancel = driver.Cancel();

        Assert.True(cancel.IsEmpty);
        Assert.Null(driver.Engine.CancellationFailure);
        Assert.Equal(FlowState.Success, driver.Engine.State);
    }

    [Fact]
    public void Cancel_RevertFails_EndsFailure()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("nasty", name: "a").Add("progressing", name: "b"));
        driver.Start();
        driver.Complete("a");

        driver.Cancel();

        Assert.Equal(FlowState.Failure, driver.RunToEnd());
        Assert.Equal(AtomState.RevertFailure, driver.State("a"));
    }

    [Fact]
    public void Cancel_RestoredEngine_RedispatchesWhatWasInFlightAndReverts()
    {
        var original = LinearAbc();
        original.Start();
        original.Complete("a");

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);
        var cancel = restored.Cancel();
        var state = restored.RunToEnd();

        Assert.Equal(["b"], restored.Names(cancel.Execute));
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(AtomState.Reverted, restored.State("a"));
        Assert.Equal(AtomState.Reverted, restored.State("b"));
    }

    [Fact]
    public void Capture_CancelledWhileSuspending_RestoredEngineStillRevertsAfterSuspending()
    {
        var original = LinearAbc();
        original.Start();
        original.Suspend();
        original.Cancel();

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);
        restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(
            ["linear.f RESUMING", "linear.f SUSPENDED", "linear.f RUNNING", "linear.f SUSPENDING",
             "linear.f SUSPENDED", "linear.f RUNNING", "linear.f REVERTED"],
            FlowStates(restored));
    }
}
