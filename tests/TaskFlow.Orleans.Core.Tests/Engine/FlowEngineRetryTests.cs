using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Core.Tests.Support.TaskFlowTasks;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>Engine behaviour around retries that TaskFlow's suite does not spell out: what keeps running, what is persisted, what it costs.</summary>
public sealed class FlowEngineRetryTests
{
    private readonly FakeTaskCatalog _tasks = Catalog();

    [Fact]
    public void OnExecuteFailed_SubflowReverts_AtomsOutsideItKeepExecuting()
    {
        var driver = _tasks.Drive(Flow.Unordered("u")
            .Add(Flow.Linear("guarded").Add("failing", name: "a").WithRetry(Retry.AlwaysRevert(name: "r")))
            .Add(Flow.Linear("other").Add("progressing", name: "b").Add("progressing", name: "c")));
        driver.Start();
        driver.Complete("r");

        var failure = driver.Complete("a");
        var b = driver.Complete("b");

        Assert.Equal(new FailureResolution(driver.Id("a"), driver.Id("r"), ResolutionStrategy.Revert, Applied: true), Assert.Single(failure.Resolutions));
        Assert.Equal(["a"], driver.Names(failure.Revert));
        Assert.Equal(["c"], driver.Names(b.Execute));
        Assert.Equal(Intention.Execute, driver.Engine.GetIntention(driver.Id("b")));
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(AtomState.Success, driver.State("c"));
        Assert.Equal(AtomState.Reverted, driver.State("r"));
        Assert.False(driver.Engine.IsReverting);
    }

    private FlowBuilder NestedAlwaysRevert() => Flow.Linear("outer")
        .Add("progressing", name: "t1")
        .Add(Flow.Linear("inner").Add("failing", name: "t2").WithRetry(Retry.AlwaysRevert(name: "r2")))
        .WithRetry(Retry.AlwaysRevert(name: "r1"));

    [Fact]
    public void OnExecuteFailed_ParentRetryAlsoSaysRevert_WithoutDeferRevertsOnlyTheSubflowReverts()
    {
        // _determine_resolution: the parent's resolver wins only if it is a real retry and not REVERT; here it is REVERT.
        var driver = _tasks.Drive(NestedAlwaysRevert());
        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(AtomState.Success, driver.State("t1"));
        Assert.Equal(AtomState.Success, driver.State("r1"));
        Assert.Equal(AtomState.Reverted, driver.State("r2"));
        Assert.Equal(ResolutionStrategy.Revert, Assert.Single(driver.Steps.SelectMany(s => s.Resolutions)).Strategy);
    }

    [Fact]
    public void OnExecuteFailed_ParentRetryAlsoSaysRevertWithDeferReverts_DefersUpToRevertAll()
    {
        var driver = _tasks.Drive(NestedAlwaysRevert(), options: new FlowEngineOptions { DeferReverts = true });
        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.All(driver.Flow.Atoms, atom => Assert.Equal(AtomState.Reverted, driver.Engine.GetState(atom.Id)));
        Assert.Equal(new FailureResolution(driver.Id("t2"), null, ResolutionStrategy.RevertAll, Applied: true),
            Assert.Single(driver.Steps.SelectMany(s => s.Resolutions)));
        Assert.True(driver.Engine.IsReverting);
    }

    [Fact]
    public void OnExecuteFailed_InnerRetryExecuteFails_ParentRetryResolvesIt()
    {
        _tasks.RetryController("broken", new ThrowingController(onExecute: true));
        var driver = _tasks.Drive(Flow.Linear("outer")
            .Add(Flow.Linear("inner").Add("progressing", name: "t").WithRetry(Retry.Custom("broken", name: "r2")))
            .WithRetry(Retry.Times(2, name: "r1")));
        driver.Start();

        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.Equal(2, driver.Capture.Count(line => line == "r1.r RUNNING"));
        Assert.Equal(2, driver.Capture.Count(line => line.StartsWith("r2.r FAILURE", StringComparison.Ordinal)));
        Assert.Equal(AtomState.Pending, driver.State("t"));
    }

    [Fact]
    public void OnExecuteFailed_ControllerDecisionThrows_FlowEndsFailureWithTheEngineFailure()
    {
        _tasks.RetryController("undecided", new ThrowingController(onExecute: false));
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").Add("failing", name: "b").WithRetry(Retry.Custom("undecided")));
        driver.Start();

        Assert.Equal(FlowState.Failure, driver.RunToEnd());
        Assert.Equal("cannot decide", Assert.Single(driver.Engine.EngineFailures).Message);
        Assert.Equal(AtomState.Failure, driver.State("b"));
        Assert.True(driver.Engine.Capture().RevertFailed);
    }

    [Fact]
    public void OnExecuteFailed_ControllerReturnsUnknownDecision_FlowEndsFailure()
    {
        _tasks.RetryController("odd", new FixedDecision((RetryDecision)7));
        var driver = _tasks.Drive(Flow.Linear("f").Add("failing", name: "a").WithRetry(Retry.Custom("odd")));
        driver.Start();

        Assert.Equal(FlowState.Failure, driver.RunToEnd());
        Assert.Contains("not RETRY, REVERT or REVERT_ALL", Assert.Single(driver.Engine.EngineFailures).Message);
    }

    [Fact]
    public void OnRetryExecuted_ForATask_Throws()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a"));
        driver.Start();

        Assert.Throws<ArgumentException>(() => driver.Engine.OnRetryExecuted(driver.Id("a"), 1, null));
        Assert.Throws<ArgumentException>(() => driver.Engine.GetRetryHistory(driver.Id("a")));
    }

    [Fact]
    public void OnExecuted_DuplicateRetryCompletion_IsIgnored()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").WithRetry(Retry.Times(2, name: "r")));
        driver.Start();
        driver.Complete("r");

        var duplicate = driver.Engine.OnRetryExecuted(driver.Id("r"), 9, null);

        Assert.True(duplicate.IsEmpty);
        Assert.Equal([1], driver.Engine.GetRetryHistory(driver.Id("r")).ProvidedValues);
    }

    // ---- persisted retry state ----

    [Fact]
    public void Restore_RetryHistoryAndArguments_LaterFailureIsDecidedAsWithoutTheRestart()
    {
        // ParameterizedForEach's OnFailure needs the values it executed with; the memento keeps them (and the history).
        var definition = Flow.Linear("f").Add("failing-with-one-arg", name: "t").WithRetry(Retry.ParameterizedForEach(name: "r", provides: "x"));
        var inputs = Inputs(("values", new[] { 1, 2 }));
        var original = _tasks.Drive(definition, inputs);
        original.Start();
        original.Complete("r");
        original.Complete("t");
        original.Complete("t");
        original.Complete("r");
        var memento = original.Engine.Capture();

        var restored = new EngineDriver(FlowEngine.Restore(original.Flow, memento), _tasks, inputs, original.Store);
        var resume = restored.Resume();
        var state = restored.RunToEnd();

        Assert.Equal(["t"], restored.Names(resume.Execute));
        Assert.Equal([1, 2], memento.RetryHistories![original.Id("r")].ProvidedValues);
        Assert.Equal(new[] { 1, 2 }, memento.RetryArguments![original.Id("r")]["values"]);
        Assert.Equal(FlowState.Reverted, state);
        Assert.Equal(
            ["f.f RESUMING", "f.f SUSPENDED", "f.f RUNNING",
             "t.t FAILURE(Failure: RuntimeError: Woot with 2)", "t.t REVERTING", "t.t REVERTED(None)", "r.r REVERTING", "r.r REVERTED(None)", "f.f REVERTED"],
            restored.Capture);
    }

    [Fact]
    public void Capture_RestoreThenCapture_GivesTheSameProgress()
    {
        var driver = _tasks.Drive(Flow.Linear("f").Add("progressing", name: "a").Add("conditional", name: "b")
            .WithRetry(Retry.Times(3, name: "r", provides: "x")), Inputs(("y", 2)));
        driver.Start();
        driver.Complete("r");
        driver.Complete("a");
        driver.Complete("b");
        var first = driver.Engine.Capture();

        var second = FlowEngine.Restore(driver.Flow, first).Capture();

        Assert.Equal(first.FlowState, second.FlowState);
        Assert.Equal(first.NodeStates[..driver.Flow.AtomCount], second.NodeStates[..driver.Flow.AtomCount]);
        Assert.Equal(first.Intentions, second.Intentions);
        Assert.Equal(first.Attempts, second.Attempts);
        Assert.Equal(first.RetryHistories, second.RetryHistories);
        Assert.Equal(first.Failures, second.Failures);
        Assert.Equal(Intention.Retry, first.Intentions[driver.Id("r")]);
    }

    [Fact]
    public void Capture_AtomLeftInFailure_KeepsItsFailureForResolvingAgain()
    {
        var driver = _tasks.Drive(Flow.Unordered("u").Add("failing", name: "a").Add("progressing", name: "b"));
        driver.Start();
        driver.Suspend();
        driver.Complete("a");

        var memento = driver.Engine.Capture();

        Assert.Equal("Woot!", memento.Failures![driver.Id("a")].Message);
    }

    // ---- cost: a retry is one pass over its subflow; completions stay O(successors) ----

    [Fact]
    public void Run_RetriedLinearChainOf5000_EachCompletionDispatchesExactlyOneAtom()
    {
        const int length = 5000;
        var builder = Flow.Linear("chain");
        for (var i = 0; i < length; i++)
        {
            builder.Add("noop", name: $"t{i}");
        }

        var flow = _tasks.Compile(builder.WithRetry(Retry.Times(2, name: "r")));
        var engine = new FlowEngine(flow);
        var retry = flow.Atoms.Single(a => a.IsRetry).Id;
        var first = flow.Atoms.Single(a => a.Name == "t0").Id;
        var last = flow.Atoms.Single(a => a.Name == $"t{length - 1}").Id;

        Assert.Equal([retry], engine.Start().ExecuteRetries);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal([first], engine.OnRetryExecuted(retry, attempt, null).Execute);
            for (var atom = first; atom < last; atom++)
            {
                Assert.Equal(atom + 1, Assert.Single(engine.OnExecuted(atom, null).Execute));
            }

            if (attempt == 1)
            {
                Assert.Equal([last], engine.OnExecuteFailed(last, EngineDriver.Woot).Revert);
                for (var atom = last; atom > first; atom--)
                {
                    Assert.Equal(atom - 1, Assert.Single(engine.OnReverted(atom).Revert));
                }

                var again = engine.OnReverted(first);
                Assert.Equal([retry], again.ExecuteRetries);
                Assert.Equal(length + 3, again.Changes.Count); // t0 REVERTED, RETRYING, every task PENDING, RUNNING
            }
        }

        Assert.Equal(FlowState.Success, engine.OnExecuted(last, null).Finished);
    }

    private sealed class ThrowingController(bool onExecute) : IRetryController
    {
        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
            onExecute ? throw new ValueError("broken retry") : null;

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
            onExecute ? RetryDecision.Revert : throw new InvalidOperationException("cannot decide");
    }

    private sealed class FixedDecision(RetryDecision decision) : IRetryController
    {
        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => null;

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => decision;
    }
}
