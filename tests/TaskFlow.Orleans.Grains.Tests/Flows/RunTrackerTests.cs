using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Flows;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Tests.Logbook;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Grains.Tests.Logbook.LogbookTestKit;

namespace TaskFlow.Orleans.Grains.Tests.Flows;

public sealed class RunTrackerTests
{
    private const int A = 0, B = 1;

    private static readonly DateTimeOffset Later = Epoch.AddSeconds(5);

    // ---- progress edges ------------------------------------------------------------------------------------------------

    [Fact]
    public void OnStateChanged_Running_EdgeZeroAndTheAttemptStartsAfresh()
    {
        var tracker = new RunTracker(2);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.TryReportProgress(A, attemptRunning: true, sequence: 3, 0.6, "most");
        tracker.OnStateChanged(A, AtomState.Failure, Later);

        var edge = tracker.OnStateChanged(A, AtomState.Running, Later.AddSeconds(1));

        Assert.Equal(0, edge);
        Assert.Equal((0.0, (string?)null), tracker.Progress(A));
        Assert.Equal(((DateTimeOffset?)Later.AddSeconds(1), (DateTimeOffset?)null), tracker.Timing(A));
        Assert.True(tracker.TryReportProgress(A, attemptRunning: true, sequence: 1, 0.1, null)); // the new attempt numbers from 1 again
    }

    [Fact]
    public void OnStateChanged_Success_EdgeOneAndFinished()
    {
        var tracker = new RunTracker(2);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.TryReportProgress(A, attemptRunning: true, sequence: 1, 0.4, "some");

        var edge = tracker.OnStateChanged(A, AtomState.Success, Later);

        Assert.Equal(1, edge);
        Assert.Equal(1, tracker.Progress(A).Progress);
        Assert.Equal(((DateTimeOffset?)Epoch, (DateTimeOffset?)Later), tracker.Timing(A));
    }

    [Theory]
    [InlineData(AtomState.Failure)]
    [InlineData(AtomState.Reverted)]
    [InlineData(AtomState.RevertFailure)]
    public void OnStateChanged_OtherEnds_NoEdgeButFinished(AtomState end)
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.TryReportProgress(A, attemptRunning: true, sequence: 1, 0.4, null);

        Assert.Null(tracker.OnStateChanged(A, end, Later));
        Assert.Equal(Later, tracker.Timing(A).Finished);
        Assert.Equal(0.4, tracker.Progress(A).Progress);
        Assert.False(tracker.TryReportProgress(A, attemptRunning: true, sequence: 2, 0.9, null));
    }

    [Fact]
    public void OnStateChanged_Reverting_NoEdgeNewStartNotFinished()
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.OnStateChanged(A, AtomState.Success, Epoch.AddSeconds(1));

        Assert.Null(tracker.OnStateChanged(A, AtomState.Reverting, Later));
        Assert.Equal(((DateTimeOffset?)Later, (DateTimeOffset?)null), tracker.Timing(A));
        Assert.Null(tracker.OnStateChanged(A, AtomState.Pending, Later));
    }

    [Fact]
    public void TryReportProgress_WhileRunning_KeptAndClampedToZeroOne()
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);

        Assert.True(tracker.TryReportProgress(A, true, 1, 0.25, "quarter"));
        Assert.Equal((0.25, "quarter"), tracker.Progress(A));
        Assert.True(tracker.TryReportProgress(A, true, 2, 1.7, null));
        Assert.Equal(1, tracker.Progress(A).Progress);
        Assert.True(tracker.TryReportProgress(A, true, 3, -0.5, null));
        Assert.Equal(0, tracker.Progress(A).Progress);
        Assert.True(tracker.TryReportProgress(A, true, 4, double.NaN, null));
        Assert.Equal(0, tracker.Progress(A).Progress);
    }

    [Fact]
    public void TryReportProgress_OvertakenByANewerReport_Dropped()
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.TryReportProgress(A, true, 5, 0.5, "fifth");

        Assert.False(tracker.TryReportProgress(A, true, 3, 0.3, "third"));
        Assert.False(tracker.TryReportProgress(A, true, 5, 0.6, "fifth again"));
        Assert.Equal((0.5, "fifth"), tracker.Progress(A));
    }

    [Fact]
    public void TryReportProgress_LateReportAfterSuccess_NeverReplacesOne()
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);
        tracker.TryReportProgress(A, true, 1, 0.2, null);
        tracker.OnStateChanged(A, AtomState.Success, Later);

        // Even when the shell still believes the attempt runs (the report raced the outcome), and however high its number.
        Assert.False(tracker.TryReportProgress(A, attemptRunning: true, sequence: long.MaxValue - 1, 0.7, "late"));
        Assert.Equal((1.0, (string?)null), tracker.Progress(A));
    }

    [Fact]
    public void TryReportProgress_AttemptNotRunning_Dropped()
    {
        var tracker = new RunTracker(1);
        tracker.OnStateChanged(A, AtomState.Running, Epoch);

        Assert.False(tracker.TryReportProgress(A, attemptRunning: false, sequence: 1, 0.5, null));
        Assert.Equal(0, tracker.Progress(A).Progress);
        Assert.True(tracker.HasChanges); // the RUNNING edge itself
    }

    // ---- outcomes and changes ------------------------------------------------------------------------------------------

    private static (FlowEngine Engine, RunTracker Tracker) StartedChain()
    {
        var engine = new FlowEngine(Chain());
        var tracker = new RunTracker(engine.Flow.AtomCount);
        foreach (var change in engine.Start().Changes.Where(c => !c.IsFlow))
        {
            tracker.OnStateChanged(change.AtomId, change.AtomTo, Epoch);
        }

        return (engine, tracker);
    }

    [Fact]
    public void TakeChanges_EngineStarted_CarriesTheEnginesStateIntentionAndAttempt()
    {
        var (engine, tracker) = StartedChain();
        var run = Run();

        var changes = tracker.TakeChanges(engine, run);

        Assert.Same(run, changes.Run);
        var change = Assert.Single(changes.Atoms);
        Assert.Equal((A, AtomOutcome.None), (change.AtomId, change.Outcome));
        Assert.Equal((AtomState.Running, Intention.Execute, 1), (change.Record.State, change.Record.Intention, change.Record.Attempt));
        Assert.Equal(Epoch, change.Record.StartedAt);
        Assert.False(tracker.HasChanges);
        Assert.Empty(tracker.TakeChanges(engine, run).Atoms);
    }

    [Fact]
    public void TakeChanges_ExecutedOutcome_CarriesTheResultOnceAndTheTrackerKeepsNoResult()
    {
        var (engine, tracker) = StartedChain();
        tracker.TakeChanges(engine, Run());
        var result = ExecutionResult.Success(42, ranOn: "silo-7");
        var step = engine.OnExecuted(A, 42);
        tracker.OnOutcome(A, isRevert: false, result);
        foreach (var change in step.Changes.Where(c => !c.IsFlow))
        {
            tracker.OnStateChanged(change.AtomId, change.AtomTo, Later);
        }

        var changes = tracker.TakeChanges(engine, Run());

        var a = Assert.Single(changes.Atoms, c => c.AtomId == A);
        Assert.Equal(AtomOutcome.Executed, a.Outcome);
        Assert.Equal((AtomState.Success, true, (object?)42, "silo-7", 1, 1.0), (a.Record.State, a.Record.HasResult, a.Record.Result, a.Record.RanOn, a.Record.Calls, a.Record.Progress));
        Assert.Equal((AtomState.Running, AtomOutcome.None), Assert.Single(changes.Atoms, c => c.AtomId == B) is var b ? (b.Record.State, b.Outcome) : default);

        tracker.TryReportProgress(B, true, 1, 0.5, null);
        tracker.OnStateChanged(A, AtomState.Success, Later); // touched again, with no new outcome
        var again = Assert.Single(tracker.TakeChanges(engine, Run()).Atoms, c => c.AtomId == A);
        Assert.Equal((AtomOutcome.None, false, (object?)null, 1), (again.Outcome, again.Record.HasResult, again.Record.Result, again.Record.Calls));
    }

    [Fact]
    public void TakeChanges_FailedOutcomes_CarryTheFailureInTheRightField()
    {
        var (engine, tracker) = StartedChain();
        tracker.TakeChanges(engine, Run());
        engine.OnExecuteFailed(A, Boom);
        tracker.OnOutcome(A, isRevert: false, ExecutionResult.Failed(Boom));

        var failed = Assert.Single(tracker.TakeChanges(engine, Run()).Atoms, c => c.AtomId == A);
        Assert.Equal((AtomOutcome.ExecuteFailed, (Failure?)Boom, (Failure?)null), (failed.Outcome, failed.Record.Failure, failed.Record.RevertFailure));

        var step = engine.OnRevertFailed(A, Gotcha);
        tracker.OnOutcome(A, isRevert: true, ExecutionResult.Failed(Gotcha));
        var revertFailed = Assert.Single(tracker.TakeChanges(engine, Run()).Atoms, c => c.AtomId == A);
        Assert.Equal((AtomOutcome.RevertFailed, (Failure?)Gotcha), (revertFailed.Outcome, revertFailed.Record.RevertFailure));
        Assert.Equal(2, revertFailed.Record.Calls);
        Assert.NotNull(step);
    }

    [Fact]
    public void OnOutcome_SuccessfulRevert_NoOutcomeFieldsChange()
    {
        var tracker = new RunTracker(1);
        var engine = new FlowEngine(FlowCompiler.Compile(Flow.Linear("one").Add("noop", name: "a").Build(), Catalog(), []));
        engine.Start();

        tracker.OnOutcome(A, isRevert: true, ExecutionResult.Success(null, ranOn: "silo-3"));

        var change = Assert.Single(tracker.TakeChanges(engine, Run()).Atoms);
        Assert.Equal((AtomOutcome.None, "silo-3", 1), (change.Outcome, change.Record.RanOn, change.Record.Calls));
    }

    [Fact]
    public void Constructor_FromLogbookRecords_KeepsEverythingButResults()
    {
        var record = Record(AtomState.Success, attempt: 3);
        record.HasResult = true;
        record.Result = 42;
        record.Progress = 1;
        record.Calls = 4;
        record.RanOn = "silo-1";
        record.StartedAt = Epoch;

        var tracker = new RunTracker([record, new AtomRecord()]);
        var engine = new FlowEngine(FlowCompiler.Compile(Flow.Linear("two").Add("noop", name: "a").Add("noop", name: "b").Build(), Catalog(), []));
        tracker.OnOutcome(A, isRevert: true, ExecutionResult.Success(null));
        var change = Assert.Single(tracker.TakeChanges(engine, Run()).Atoms);

        Assert.Equal(42, record.Result); // the logbook's record is not touched
        Assert.Equal((1.0, (string?)null), tracker.Progress(A));
        Assert.Equal(((DateTimeOffset?)Epoch, (DateTimeOffset?)null), tracker.Timing(A));
        Assert.Equal((5, "silo-1", (object?)null), (change.Record.Calls, change.Record.RanOn, change.Record.Result));
    }

    // ---- rebuilding an engine from a logbook ---------------------------------------------------------------------------

    /// <summary>Stands in for the flow grain and its storage grain: drives an engine, tracks it, records every step in a logbook.</summary>
    private sealed class Shell
    {
        private readonly Queue<(int Atom, bool IsRevert)> _outstanding = new();
        private readonly RunRecord _run = new();
        private DateTimeOffset _now = Epoch;

        public Shell(CompiledFlow flow, FlowDefinition definition)
        {
            Flow = flow;
            Header = LogbookTestKit.Header(flow, definition);
            Engine = new FlowEngine(flow);
            Tracker = new RunTracker(flow.AtomCount);
            Step(Engine.Start());
            State = RunLogbookState.Create("run-1", Header, Tracker.TakeChanges(Engine, CaptureRun()));
        }

        public CompiledFlow Flow { get; }

        public RunHeader Header { get; }

        public FlowEngine Engine { get; }

        public RunTracker Tracker { get; }

        public RunLogbookState State { get; }

        /// <summary>Atoms whose execute fails, and how many more times.</summary>
        public Dictionary<string, int> FailTimes { get; } = new(StringComparer.Ordinal);

        public IReadOnlyCollection<(int Atom, bool IsRevert)> Outstanding => _outstanding;

        public int Id(string name) => Flow.Atoms.Single(a => a.Name == name).Id;

        /// <summary>Completes the oldest outstanding call as its executor (or, for a retry, the shell) would, and records.</summary>
        public void CompleteNext()
        {
            var (atom, isRevert) = _outstanding.Dequeue();
            var compiled = Flow.Atoms[atom];
            _now = _now.AddSeconds(1);
            EngineStep step;
            ExecutionResult result;
            if (isRevert)
            {
                result = ExecutionResult.Success(null, "silo-1");
                step = Engine.OnReverted(atom);
            }
            else if (FailTimes.TryGetValue(compiled.Name, out var times) && times > 0)
            {
                FailTimes[compiled.Name] = times - 1;
                result = ExecutionResult.Failed(Boom, "silo-1");
                step = Engine.OnExecuteFailed(atom, Boom);
            }
            else if (compiled.Retry is { } retry)
            {
                Assert.True(State.Store.TryPrepareExecute(atom, out var arguments, out _));
                var value = retry.Controller.Execute(Engine.GetRetryHistory(atom), arguments);
                result = ExecutionResult.Success(value, "silo-1");
                step = Engine.OnRetryExecuted(atom, value, arguments);
            }
            else
            {
                result = ExecutionResult.Success(compiled.Name == "a" ? 42 : null, "silo-1");
                step = Engine.OnExecuted(atom, result.Value);
            }

            Tracker.OnOutcome(atom, isRevert, result);
            Step(step);
            State.Apply(Tracker.TakeChanges(Engine, CaptureRun()));
        }

        private void Step(EngineStep step)
        {
            foreach (var change in step.Changes.Where(c => !c.IsFlow))
            {
                Tracker.OnStateChanged(change.AtomId, change.AtomTo, _now);
            }

            foreach (var atom in step.Execute.Concat(step.ExecuteRetries))
            {
                _outstanding.Enqueue((atom, false));
            }

            foreach (var atom in step.Revert.Concat(step.RevertRetries))
            {
                _outstanding.Enqueue((atom, true));
            }
        }

        private RunRecord CaptureRun()
        {
            _run.State = Engine.State;
            _run.Reverting = Engine.IsReverting;
            _run.RevertFailed = Engine.IsHalted;
            _run.Cancellation = Engine.CancellationFailure;
            _run.ResumeAfterSuspend = Engine.ResumesAfterSuspend;
            _run.EngineFailures = [.. Engine.EngineFailures];
            _run.UpdatedAt = _now;
            return _run.Clone();
        }

        /// <summary>Makes the logbook durable in a store and reads it back, as a new activation would.</summary>
        public async Task<RunLogbook> StoredLogbookAsync()
        {
            var store = new MemoryLogbookStore();
            var (write, covers) = State.TakeWrite(Serializer);
            Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([write]));
            State.Committed(write, covers);
            return RunLogbookState.Load((await store.ReadAsync("run-1"))!, Serializer).ToLogbook();
        }
    }

    private static void AssertSameProgress(FlowEngine original, FlowEngine restored)
    {
        var flow = original.Flow;
        Assert.Equal(original.State, restored.State);
        Assert.Equal(original.IsReverting, restored.IsReverting);
        Assert.Equal(original.IsHalted, restored.IsHalted);
        Assert.Equal(original.CancellationFailure, restored.CancellationFailure);
        Assert.Equal(original.ResumesAfterSuspend, restored.ResumesAfterSuspend);
        Assert.Equal(original.EngineFailures, restored.EngineFailures);
        Assert.Equal(original.InFlight, restored.InFlight);
        for (var atom = 0; atom < flow.AtomCount; atom++)
        {
            var name = flow.Atoms[atom].Name;
            Assert.True(original.GetState(atom) == restored.GetState(atom), $"state of {name}: {original.GetState(atom)} vs {restored.GetState(atom)}");
            Assert.True(original.GetIntention(atom) == restored.GetIntention(atom), $"intention of {name}");
            Assert.True(original.GetAttempt(atom) == restored.GetAttempt(atom), $"attempt of {name}");
            if (flow.Atoms[atom].IsRetry)
            {
                var expected = original.GetRetryHistory(atom);
                var actual = restored.GetRetryHistory(atom);
                Assert.Equal(expected.Count, actual.Count);
                Assert.Equal(expected.ProvidedValues, actual.ProvidedValues);
                Assert.Equal(expected.Outcomes().ToList(), actual.Outcomes().ToList());
                Assert.Equal(expected.Failure, actual.Failure);
                Assert.Equal(original.GetRetryArguments(atom)?.OrderBy(p => p.Key).ToList(), restored.GetRetryArguments(atom)?.OrderBy(p => p.Key).ToList());
            }
        }

        var (capturedOriginal, capturedRestored) = (original.Capture(), restored.Capture());
        Assert.Equal(
            capturedOriginal.Failures!.Where(f => original.GetState(f.Key) == AtomState.Failure).OrderBy(f => f.Key),
            capturedRestored.Failures!.OrderBy(f => f.Key));
        Assert.Equal(capturedOriginal.DeciderResults!.OrderBy(d => d.Key), capturedRestored.DeciderResults!.OrderBy(d => d.Key));
    }

    private static Shell GuardedChain()
    {
        var definition = Flow.Linear("outer")
            .Add(Flow.Linear("guarded").Add("source", name: "a").Add("sink", name: "b").WithRetry(Retry.Times(3, name: "r")))
            .Add("noop", name: "c")
            .Build();
        return new Shell(FlowCompiler.Compile(definition, Catalog(), []), definition);
    }

    [Fact]
    public async Task Memento_RetryMidRun_RestoredEngineMatchesTheOriginal()
    {
        var shell = GuardedChain();
        shell.FailTimes["b"] = 1;
        var a = shell.Id("a");

        // r executes, a succeeds, b fails, r decides RETRY: b and a revert, r retries, a is dispatched again.
        while (shell.Engine.GetAttempt(a) < 2)
        {
            shell.CompleteNext();
        }

        Assert.Equal(AtomState.Running, shell.Engine.GetState(a));
        Assert.Equal(2, shell.Engine.GetRetryHistory(shell.Id("r")).Count);
        var logbook = await shell.StoredLogbookAsync();

        var restored = FlowEngine.Restore(shell.Flow, RunTracker.Memento(shell.Flow, logbook));

        AssertSameProgress(shell.Engine, restored);
        Assert.Equal(Boom, restored.GetRetryHistory(shell.Id("r")).Outcomes(0).Single(o => o.AtomName == "b").Failure);
        var resumed = restored.Resume();
        Assert.Equal([a], resumed.Execute); // what was in flight is dispatched again, as the same attempt
        Assert.Equal(2, restored.GetAttempt(a));
        Assert.Equal([(a, false)], shell.Outstanding);
    }

    [Fact]
    public async Task Memento_FailureWithoutRetry_RestoredEngineRevertsAllAndRedispatchesTheRevert()
    {
        var definition = Flow.Linear("plain").Add("source", name: "a").Add("sink", name: "b").Add("noop", name: "c").Build();
        var shell = new Shell(FlowCompiler.Compile(definition, Catalog(), []), definition);
        shell.FailTimes["b"] = 1;
        shell.CompleteNext(); // a succeeds
        shell.CompleteNext(); // b fails: no retry, so every atom reverts

        Assert.True(shell.Engine.IsReverting);
        Assert.Equal(AtomState.Reverting, shell.Engine.GetState(shell.Id("b"))); // nothing after it ran: it reverts at once
        var logbook = await shell.StoredLogbookAsync();

        var restored = FlowEngine.Restore(shell.Flow, RunTracker.Memento(shell.Flow, logbook));

        AssertSameProgress(shell.Engine, restored);
        Assert.Equal(Boom, logbook.Atoms[shell.Id("b")].Failure);
        Assert.Equal(42, logbook.Atoms[shell.Id("a")].Result);
        Assert.Equal([shell.Id("b")], restored.Resume().Revert); // the revert in flight is dispatched again
    }

    [Fact]
    public async Task Memento_EveryStepOfARun_EachRestoresToTheOriginal()
    {
        var shell = GuardedChain();
        shell.FailTimes["b"] = 1;
        var steps = 0;

        while (shell.Outstanding.Count > 0)
        {
            shell.CompleteNext();
            steps++;
            var restored = FlowEngine.Restore(shell.Flow, RunTracker.Memento(shell.Flow, shell.State.ToLogbook()));
            AssertSameProgress(shell.Engine, restored);
        }

        Assert.Equal(FlowState.Success, shell.Engine.State);
        Assert.True(steps > 6);
        var final = await shell.StoredLogbookAsync();
        Assert.Equal(FlowState.Success, final.Run.State);
        Assert.All(final.Atoms, atom => Assert.Equal(AtomState.Success, atom.State));
        Assert.Equal(1.0, final.Atoms[shell.Id("a")].Progress);
    }
}
