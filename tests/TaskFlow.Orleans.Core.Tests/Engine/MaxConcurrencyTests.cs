using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// <see cref="FlowEngineOptions.MaxConcurrency"/>: TaskFlow's parallel engine with <c>max_workers</c> runs at most that many
/// tasks at once. Here the bound is the engine's, so it holds wherever the executors run and across a restore.
/// </summary>
public sealed class MaxConcurrencyTests
{
    private readonly FakeTaskCatalog _tasks = FakeTaskCatalog.WithNoop().Task("boom", execute: _ => throw new InvalidOperationException("Woot!"));

    private static FlowBuilder Independent(int count, string? last = null)
    {
        var flow = Flow.Unordered("wide");
        for (var i = 0; i < count; i++)
        {
            flow.Add(i == count - 1 && last is not null ? last : "noop", name: $"t{i:00}");
        }

        return flow;
    }

    private static int Running(EngineDriver driver) =>
        driver.Flow.Atoms.Count(atom => driver.Engine.GetState(atom.Id) is AtomState.Running or AtomState.Reverting);

    /// <summary>Completes outstanding work one answer at a time, oldest first, recording how many were in flight before each.</summary>
    private static List<int> RunOneByOne(EngineDriver driver)
    {
        var inFlight = new List<int>();
        while (driver.Outstanding.Count > 0)
        {
            inFlight.Add(Running(driver));
            driver.Complete(driver.Name(driver.Outstanding.First().Atom));
        }

        return inFlight;
    }

    [Fact]
    [Trait("TaskFlow", "engines/action_engine: parallel engine max_workers bounds the tasks running at once")]
    public void Run_ThirtyIndependentTasks_NeverMoreThanFiveAtOnce_AllSucceedInTheOrderTheyBecameReady()
    {
        var driver = _tasks.Drive(Independent(30), options: new FlowEngineOptions { MaxConcurrency = 5 });

        driver.Start();
        Assert.Equal(5, Running(driver));
        Assert.Equal(["+t00 +t01 +t02 +t03 +t04"], driver.DispatchBatches());

        var inFlight = RunOneByOne(driver);

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.All(inFlight, count => Assert.InRange(count, 1, 5));
        Assert.Equal(5, inFlight.Max());
        var started = driver.Trace.Where(line => line.EndsWith(" RUNNING", StringComparison.Ordinal) && line.StartsWith('t')).ToList();
        Assert.Equal([.. Enumerable.Range(0, 30).Select(i => $"t{i:00}.t RUNNING")], started);
    }

    [Fact]
    public void Run_WithoutABound_StartsEveryReadyTaskAtOnce()
    {
        var driver = _tasks.Drive(Independent(30));

        driver.Start();

        Assert.Equal(30, Running(driver));
    }

    [Fact]
    public void Run_FailureWithABound_RevertsAtMostTwoAtOnce_AndEndsReverted()
    {
        var driver = _tasks.Drive(Independent(8, last: "boom"), options: new FlowEngineOptions { MaxConcurrency = 2 });
        driver.Start();

        var inFlight = RunOneByOne(driver);

        Assert.Equal(FlowState.Reverted, driver.Engine.State);
        Assert.All(inFlight, count => Assert.InRange(count, 1, 2));
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
    }

    [Fact]
    public void Restore_MidRun_KeepsTheBound_AndRedispatchesOnlyWhatWasInFlight()
    {
        var original = _tasks.Drive(Independent(12), options: new FlowEngineOptions { MaxConcurrency = 3 });
        original.Start();
        original.Complete("t00");
        original.Complete("t01");
        Assert.Equal(3, Running(original));

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, original.Engine.Capture()), _tasks);
        restored.Resume();

        // The three that were RUNNING are dispatched again (same attempt); nothing new starts until one answers.
        Assert.Equal(["+t02 +t03 +t04"], restored.DispatchSets());
        var inFlight = RunOneByOne(restored);
        Assert.Equal(FlowState.Success, restored.Engine.State);
        Assert.All(inFlight, count => Assert.InRange(count, 1, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Compile_BoundBelowOne_IsRefusedNamingTheFlowAndTheFix(int bound)
    {
        var exception = Assert.Throws<FlowCompilationException>(() => _tasks.Compile(Independent(2).Build(new FlowEngineOptions { MaxConcurrency = bound })));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("bad-max-concurrency", problem.Code);
        Assert.Equal("wide", problem.FlowName);
        Assert.Contains($"Flow 'wide' has MaxConcurrency {bound}; it must be at least 1", problem.Message, StringComparison.Ordinal);
        Assert.Contains("leave it null for no bound", problem.Message, StringComparison.Ordinal);
    }
}
