using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// TaskFlow's engine option <c>never_resolve</c> (<c>engines/action_engine/completer.py</c>: failures are not resolved, the
/// engine aborts and re-raises): no retry is asked, nothing reverts, the run ends FAILURE.
/// </summary>
public sealed class NeverResolveTests
{
    private readonly FakeTaskCatalog _tasks = Catalog();

    [Fact]
    [Trait("TaskFlow", "engines/action_engine/completer.py: never_resolve")]
    public void Run_FailureWithNeverResolve_RevertsNothing_AndEndsFailure()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
                .Add("progressing", name: "task1")
                .Add("failing", name: "task2")
                .Add("progressing", name: "task3"),
            options: new FlowEngineOptions { NeverResolve = true });

        driver.Start();
        driver.RunToEnd();

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal(AtomState.Success, driver.State("task1"));
        Assert.Equal(AtomState.Failure, driver.State("task2"));
        Assert.Equal(AtomState.Pending, driver.State("task3"));
        Assert.DoesNotContain(driver.Trace, line => line.Contains("REVERT", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("TaskFlow", "engines/action_engine/completer.py: never_resolve")]
    public void Run_FailureUnderARetryWithNeverResolve_DoesNotRetry()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
                .WithRetry(Retry.Times(3, name: "r1"))
                .Add("failing", name: "task1"),
            options: new FlowEngineOptions { NeverResolve = true });

        driver.Start();
        driver.RunToEnd();

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal(1, driver.Trace.Count(line => line == "task1.t RUNNING"));
        Assert.Equal(AtomState.Success, driver.State("r1"));
    }

    [Fact]
    public void Run_ParallelTasksWithNeverResolve_RunningOnesFinish_NothingNewStarts()
    {
        var driver = _tasks.Drive(Flow.Linear("flow-1")
                .Add(Flow.Unordered("both").Add("failing", name: "fails").Add("progressing", name: "slow"))
                .Add("progressing", name: "after"),
            options: new FlowEngineOptions { NeverResolve = true });
        driver.Start();

        driver.Complete("fails");
        Assert.Equal(FlowState.Running, driver.Engine.State);
        driver.Complete("slow");

        Assert.Equal(FlowState.Failure, driver.Engine.State);
        Assert.Equal(AtomState.Success, driver.State("slow"));
        Assert.Equal(AtomState.Pending, driver.State("after"));
    }
}
