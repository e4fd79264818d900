using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Grains.Tests.Logbook.LogbookTestKit;

namespace TaskFlow.Orleans.Grains.Tests.Logbook;

public sealed class RunLogbookStateTests
{
    private const int A = 0, B = 1, C = 2;

    private static RunLogbookState NewRun(params AtomChange[] first)
    {
        var (_, header) = ChainWithHeader();
        return RunLogbookState.Create("run-1", header, Changes(first.Length > 0 ? first : [Started(A)]));
    }

    private static async Task<RunLogbookState> StoreAndLoad(RunLogbookState state, MemoryLogbookStore? store = null)
    {
        store ??= new MemoryLogbookStore();
        var (write, covers) = state.TakeWrite(Serializer);
        Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([write]));
        state.Committed(write, covers);
        return RunLogbookState.Load((await store.ReadAsync(state.RunId))!, Serializer);
    }

    [Fact]
    public void Create_FirstChanges_AppliedAsRecordOneAndNotYetDurable()
    {
        var state = NewRun(Started(A));

        Assert.Equal("run-1", state.RunId);
        Assert.Equal(1, state.Sequence);
        Assert.Equal(0, state.DurableSequence);
        Assert.Equal(0, state.Version);
        Assert.True(state.IsDirty);
        Assert.Equal([AtomState.Running, AtomState.Pending, AtomState.Pending], state.Atoms.Select(a => a.State));
        Assert.Equal(FlowState.Running, state.Run.State);
    }

    [Fact]
    public void Apply_EachCall_AdvancesSequenceWhateverTheRecordSays()
    {
        var state = NewRun();
        var run = Run();
        run.Sequence = 40;

        state.Apply(Changes(run));
        state.Apply(Changes(Run()));

        Assert.Equal(3, state.Sequence);
        Assert.Equal(3, state.Run.Sequence);
    }

    [Fact]
    public void Apply_OlderEventSequence_NeverMovesItBack()
    {
        var state = NewRun();
        state.Apply(Changes(Run(eventSequence: 7)));

        state.Apply(Changes(Run(eventSequence: 3)));

        Assert.Equal(7, state.Run.EventSequence);
    }

    [Fact]
    public void Apply_Executed_SetsResultAndClearsExecuteFailure()
    {
        var state = NewRun();
        state.Apply(Changes(ExecuteFailed(A, Boom)));

        state.Apply(Changes(Executed(A, 42)));

        var a = state.Atoms[A];
        Assert.Equal(AtomState.Success, a.State);
        Assert.True(a.HasResult);
        Assert.Equal(42, a.Result);
        Assert.Null(a.Failure);
        Assert.Equal(42, state.Store.Results[A]);
        Assert.False(state.Store.Failures.ContainsKey(A));
    }

    [Fact]
    public void Apply_Executed_KeepsAnEarlierRevertFailure()
    {
        var state = NewRun();
        state.Apply(Changes(RevertFailed(A, Gotcha)));

        state.Apply(Changes(Executed(A, 1)));

        Assert.Equal(Gotcha, state.Atoms[A].RevertFailure);
        Assert.Equal(Gotcha, state.Store.RevertFailures[A]);
    }

    [Fact]
    public void Apply_ExecuteFailed_SetsFailureAndClearsResult()
    {
        var state = NewRun();
        state.Apply(Changes(Executed(A, 42)));
        var change = ExecuteFailed(A, Boom);
        change.Record.HasResult = true; // whatever the record carries, a failed execute leaves no result
        change.Record.Result = 99;

        state.Apply(Changes(change));

        var a = state.Atoms[A];
        Assert.Equal(AtomState.Failure, a.State);
        Assert.False(a.HasResult);
        Assert.Null(a.Result);
        Assert.Equal(Boom, a.Failure);
        Assert.False(state.Store.Results.ContainsKey(A));
        Assert.Equal(Boom, state.Store.Failures[A]);
    }

    [Fact]
    public void Apply_RevertFailed_SetsRevertFailureAndKeepsResultAndExecuteFailure()
    {
        var state = NewRun();
        state.Apply(Changes(Executed(A, 42), ExecuteFailed(B, Boom)));

        state.Apply(Changes(RevertFailed(A, Gotcha), RevertFailed(B, Gotcha)));

        Assert.Equal((AtomState.RevertFailure, true, (object?)42, (Failure?)null, (Failure?)Gotcha),
            (state.Atoms[A].State, state.Atoms[A].HasResult, state.Atoms[A].Result, state.Atoms[A].Failure, state.Atoms[A].RevertFailure));
        Assert.Equal((false, (Failure?)Boom, (Failure?)Gotcha), (state.Atoms[B].HasResult, state.Atoms[B].Failure, state.Atoms[B].RevertFailure));
        Assert.Equal(42, state.Store.Results[A]);
        Assert.Equal(Boom, state.Store.Failures[B]);
        Assert.Equal(Gotcha, state.Store.RevertFailures[B]);
    }

    [Fact]
    public void Apply_NoOutcome_KeepsEveryOutcomeFieldButTakesTheRest()
    {
        var state = NewRun();
        state.Apply(Changes(Executed(A, 42), ExecuteFailed(B, Boom)));
        state.Apply(Changes(RevertFailed(B, Gotcha)));
        var reverting = Record(AtomState.Reverting, attempt: 3, Intention.Revert);
        reverting.Progress = 0.5;
        reverting.RanOn = "silo-9";
        reverting.Failure = Gotcha; // ignored: no outcome
        var resetB = Record(AtomState.Pending, attempt: 2);

        state.Apply(Changes(new AtomChange(A, reverting, AtomOutcome.None), new AtomChange(B, resetB, AtomOutcome.None)));

        var a = state.Atoms[A];
        Assert.Equal((AtomState.Reverting, Intention.Revert, 3, 0.5, "silo-9"), (a.State, a.Intention, a.Attempt, a.Progress, a.RanOn));
        Assert.Equal((true, (object?)42, (Failure?)null), (a.HasResult, a.Result, a.Failure));
        var b = state.Atoms[B];
        Assert.Equal((AtomState.Pending, 2), (b.State, b.Attempt));
        Assert.Equal((false, (Failure?)Boom, (Failure?)Gotcha), (b.HasResult, b.Failure, b.RevertFailure));
    }

    [Fact]
    public void Apply_ChangeRecord_IsCopiedNotShared()
    {
        var state = NewRun();
        var change = Executed(A, 42);
        state.Apply(Changes(change));

        change.Record.State = AtomState.Reverted;

        Assert.Equal(AtomState.Success, state.Atoms[A].State);
    }

    [Fact]
    public void Store_AfterApply_PreparesArgumentsFromAppliedResults()
    {
        var state = NewRun();
        Assert.False(state.Store.TryPrepareExecute(B, out _, out var missing));
        Assert.Contains("'x'", missing!.Message);

        state.Apply(Changes(Executed(A, 42), Started(B)));

        Assert.True(state.Store.TryPrepareExecute(B, out var arguments, out _));
        Assert.Equal(42, arguments["x"]);
    }

    [Fact]
    public void TakeWrite_FirstWrite_CarriesHeaderRunRowAndOnlyTheAtomsThatChanged()
    {
        var state = NewRun(Started(A));

        var (write, covers) = state.TakeWrite(Serializer);

        Assert.Equal(1, covers);
        Assert.Equal("run-1", write.RunId);
        Assert.Equal(0, write.ExpectedVersion);
        Assert.Equal(1, write.NewVersion);
        Assert.NotNull(write.Header);
        var header = Serializer.Deserialize<RunHeader>(write.Header);
        Assert.Equal("chain", header.Definition.Name);
        Assert.Equal(["a", "b", "c"], header.Setup.Atoms.Select(a => a.Name));
        var row = Assert.Single(write.Atoms);
        Assert.Equal((A, AtomState.Running), (row.AtomId, row.State));
        Assert.Equal(AtomState.Running, Serializer.Deserialize<AtomRecord>(row.Payload).State);
        Assert.Equal("chain", write.Run.FlowName);
        Assert.Equal("chain-factory", write.Run.FactoryName);
        Assert.Equal(FlowState.Running, write.Run.State);
        Assert.Equal(Epoch, write.Run.CreatedAt);
        Assert.Equal("silo-1", write.Run.Silo);
        Assert.Null(write.Run.FailureSummary);
        Assert.Equal(1, Serializer.Deserialize<RunRecord>(write.Run.Payload).Sequence);
    }

    [Fact]
    public void TakeWrite_AtomCounts_CountAtomsByState()
    {
        var state = NewRun(Started(A));
        state.Apply(Changes(Executed(A, 1), Started(B)));
        state.Apply(Changes(ExecuteFailed(B, Boom)));

        var counts = state.TakeWrite(Serializer).Write.Run.AtomCounts;

        Assert.Equal(Enum.GetValues<AtomState>().Length, counts.Length);
        Assert.Equal(1, counts[(int)AtomState.Success]);
        Assert.Equal(1, counts[(int)AtomState.Failure]);
        Assert.Equal(1, counts[(int)AtomState.Pending]);
        Assert.Equal(0, counts[(int)AtomState.Running]);
        Assert.Equal(3, counts.Sum());
    }

    [Fact]
    public void TakeWrite_AtomFailed_SummaryNamesTheAtomTypeAndMessage()
    {
        var state = NewRun(ExecuteFailed(B, Boom));

        var summary = state.TakeWrite(Serializer).Write.Run.FailureSummary;

        Assert.Equal("b: System.InvalidOperationException: Boom", summary);
    }

    [Fact]
    public void TakeWrite_FirstExecuteFailureWinsOverLaterOnes_RevertFailureReplacesIt()
    {
        var state = NewRun(ExecuteFailed(A, Boom));
        state.Apply(Changes(ExecuteFailed(B, Gotcha)));
        Assert.Equal("a: System.InvalidOperationException: Boom", state.TakeWrite(Serializer).Write.Run.FailureSummary);

        state.Apply(Changes(RevertFailed(C, Gotcha)));

        Assert.Equal("c: System.NotSupportedException: Gotcha", state.TakeWrite(Serializer).Write.Run.FailureSummary);
    }

    [Fact]
    public void TakeWrite_FlowFailure_SummaryNamesTheFlow()
    {
        var state = NewRun(ExecuteFailed(A, Boom));
        var run = Run(FlowState.Failure);
        run.FlowFailure = Failure.Create("TaskFlow.Orleans.TaskNotRegisteredException", "Task 'x' is gone.");

        state.Apply(Changes(run));

        Assert.Equal("chain: TaskFlow.Orleans.TaskNotRegisteredException: Task 'x' is gone.", state.TakeWrite(Serializer).Write.Run.FailureSummary);
    }

    [Fact]
    public void TakeWrite_LongFailureMessage_SummaryCappedAt500Characters()
    {
        var state = NewRun(ExecuteFailed(A, Failure.Create("E", new string('m', 2000))));

        var summary = state.TakeWrite(Serializer).Write.Run.FailureSummary!;

        Assert.Equal(500, summary.Length);
        Assert.EndsWith("...", summary);
    }

    [Fact]
    public void TakeWrite_AfterCommit_NoHeaderAndOnlyAtomsChangedSince()
    {
        var state = NewRun(Started(A));
        var (first, covers) = state.TakeWrite(Serializer);
        state.Committed(first, covers);
        Assert.False(state.IsDirty);
        Assert.Equal((1L, 1L), (state.Version, state.DurableSequence));

        state.Apply(Changes(Started(B)));
        var (second, secondCovers) = state.TakeWrite(Serializer);

        Assert.Null(second.Header);
        Assert.Equal(1, second.ExpectedVersion);
        Assert.Equal(2, secondCovers);
        Assert.Equal([B], second.Atoms.Select(a => a.AtomId));
    }

    [Fact]
    public void TakeWrite_RunRecordOnlyChanged_WriteHasNoAtomRows()
    {
        var state = NewRun(Started(A));
        var (first, covers) = state.TakeWrite(Serializer);
        state.Committed(first, covers);

        state.Apply(Changes(Run(FlowState.Suspending)));

        Assert.True(state.IsDirty);
        var (write, _) = state.TakeWrite(Serializer);
        Assert.Empty(write.Atoms);
        Assert.Equal(FlowState.Suspending, write.Run.State);
    }

    [Fact]
    public void TakeWrite_AtomChangedTwiceBeforeAWrite_OneRowWithTheLatestRecord()
    {
        var state = NewRun(Started(A));
        state.Apply(Changes(Executed(A, 5)));

        var row = Assert.Single(state.TakeWrite(Serializer).Write.Atoms);

        var record = Serializer.Deserialize<AtomRecord>(row.Payload);
        Assert.Equal((AtomState.Success, true, (object?)5), (record.State, record.HasResult, record.Result));
    }

    [Fact]
    public void Committed_OlderCoverAfterNewer_DurableSequenceNeverGoesBack()
    {
        var state = NewRun(Started(A));
        var (write, _) = state.TakeWrite(Serializer);

        state.Committed(write, 1);
        state.Apply(Changes(Started(B)));
        var (second, covers) = state.TakeWrite(Serializer);
        state.Committed(second, covers);
        state.Committed(second, 1);

        Assert.Equal(2, state.DurableSequence);
        Assert.Equal(2, state.Version);
    }

    [Fact]
    public void Failed_WriteDidNotCommit_ItsAtomsAndHeaderGoIntoTheNextWrite()
    {
        var state = NewRun(Started(A), Started(B));
        var (failed, _) = state.TakeWrite(Serializer);

        state.Failed(failed);
        state.Apply(Changes(Started(C)));
        var (next, covers) = state.TakeWrite(Serializer);

        Assert.NotNull(next.Header);
        Assert.Equal(0, next.ExpectedVersion);
        Assert.NotEqual(failed.WriteId, next.WriteId);
        Assert.Equal([A, B, C], next.Atoms.Select(a => a.AtomId).Order());
        Assert.Equal(2, covers);
        Assert.Equal(0, state.DurableSequence);
    }

    [Fact]
    public async Task Load_StoredLogbook_RoundTripsRecordsVersionAndSequence()
    {
        var state = NewRun(Executed(A, 42), ExecuteFailed(B, Boom));
        state.Apply(Changes(RevertFailed(B, Gotcha)));
        var run = Run(FlowState.Failure, eventSequence: 12);
        run.Reverting = true;
        run.RevertFailed = true;
        run.FinishedAt = Epoch.AddMinutes(1);
        run.EngineFailures = [Boom];
        state.Apply(Changes(run));

        var loaded = await StoreAndLoad(state);

        Assert.Equal("run-1", loaded.RunId);
        Assert.Equal(1, loaded.Version);
        Assert.Equal(3, loaded.Sequence);
        Assert.Equal(3, loaded.DurableSequence);
        Assert.False(loaded.IsDirty);
        Assert.Equal((FlowState.Failure, 12L, true, true, Epoch.AddMinutes(1)),
            (loaded.Run.State, loaded.Run.EventSequence, loaded.Run.Reverting, loaded.Run.RevertFailed, loaded.Run.FinishedAt));
        Assert.Equal(Boom, Assert.Single(loaded.Run.EngineFailures));
        Assert.Equal("chain", loaded.Header.Definition.Name);
        Assert.Equal(RunHeader.CurrentFormatVersion, loaded.Header.FormatVersion);
        Assert.Equal((AtomState.Success, true, (object?)42), (loaded.Atoms[A].State, loaded.Atoms[A].HasResult, loaded.Atoms[A].Result));
        Assert.Equal((AtomState.RevertFailure, (Failure?)Boom, (Failure?)Gotcha), (loaded.Atoms[B].State, loaded.Atoms[B].Failure, loaded.Atoms[B].RevertFailure));
        Assert.Equal(AtomState.Pending, loaded.Atoms[C].State); // never written: reads as PENDING
        Assert.Equal(42, loaded.Store.Results[A]);
        Assert.Equal(Boom, loaded.Store.Failures[B]);
        Assert.Equal(Gotcha, loaded.Store.RevertFailures[B]);
        Assert.True(loaded.Store.TryPrepareExecute(B, out var arguments, out _));
        Assert.Equal(42, arguments["x"]);
    }

    [Fact]
    public async Task Load_ThenApply_KeepsCountsAndWritesAtTheStoredVersion()
    {
        var store = new MemoryLogbookStore();
        var state = NewRun(Executed(A, 1), Started(B));
        var loaded = await StoreAndLoad(state, store);

        loaded.Apply(Changes(Executed(B, 2)));
        var (write, covers) = loaded.TakeWrite(Serializer);

        Assert.Null(write.Header);
        Assert.Equal(1, write.ExpectedVersion);
        Assert.Equal(2, covers);
        Assert.Equal(2, write.Run.AtomCounts[(int)AtomState.Success]);
        Assert.Equal(1, write.Run.AtomCounts[(int)AtomState.Pending]);
        Assert.Equal(0, write.Run.AtomCounts[(int)AtomState.Running]);
        Assert.Equal([LogbookWriteStatus.Committed], await store.WriteAsync([write]));
    }

    [Fact]
    public async Task Load_AtomFailedBeforeReload_NextWriteKeepsTheFailureSummary()
    {
        var state = NewRun(ExecuteFailed(B, Boom));
        var (first, _) = state.TakeWrite(Serializer);
        Assert.Equal("b: System.InvalidOperationException: Boom", first.Run.FailureSummary);
        state.Failed(first); // not written: the next write carries it all again
        var loaded = await StoreAndLoad(state);
        Assert.Equal((AtomState.Failure, (Failure?)Boom), (loaded.Atoms[B].State, loaded.Atoms[B].Failure));

        var reverting = Record(AtomState.Reverting, intention: Intention.Revert);
        loaded.Apply(Changes(new AtomChange(B, reverting, AtomOutcome.None)));
        var (write, _) = loaded.TakeWrite(Serializer);

        // The run row's index column must not lose why the run is failing because a new activation wrote it.
        Assert.Equal("b: System.InvalidOperationException: Boom", write.Run.FailureSummary);
    }

    [Fact]
    public void TakeWrite_RunSucceededAfterARetriedFailure_NoFailureSummary()
    {
        var state = NewRun(ExecuteFailed(A, Boom));
        state.Apply(Changes(Started(A, attempt: 2)));
        state.Apply(Changes(Run(FlowState.Success), Executed(A, 1), Executed(B, null), Executed(C, null)));

        var row = state.TakeWrite(Serializer).Write.Run;

        // RunRow.FailureSummary: "a one-line summary of why it failed, if it did"; this run did not fail.
        Assert.Equal(FlowState.Success, row.State);
        Assert.Null(row.FailureSummary);
    }

    [Fact]
    public async Task Load_NewerFormatVersion_ThrowsFlowStorageExceptionNamingTheVersion()
    {
        var state = NewRun();
        var (write, _) = state.TakeWrite(Serializer);
        var store = new MemoryLogbookStore();
        await store.WriteAsync([write]);
        var stored = (await store.ReadAsync("run-1"))!;
        var header = Serializer.Deserialize<RunHeader>(stored.Header);
        header.FormatVersion = RunHeader.CurrentFormatVersion + 1;
        var newer = new StoredLogbook
        {
            RunId = stored.RunId, Version = stored.Version, Header = Serializer.Serialize(header), Run = stored.Run, Atoms = stored.Atoms,
        };

        var exception = Assert.Throws<FlowStorageException>(() => RunLogbookState.Load(newer, Serializer));

        Assert.Contains($"format {RunHeader.CurrentFormatVersion + 1}", exception.Message);
        Assert.Contains("run-1", exception.Message);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("run")]
    [InlineData("atom")]
    public async Task Load_GarbagePayload_ThrowsFlowStorageException(string damaged)
    {
        var state = NewRun(Started(A));
        var (write, _) = state.TakeWrite(Serializer);
        var store = new MemoryLogbookStore();
        await store.WriteAsync([write]);
        var stored = (await store.ReadAsync("run-1"))!;
        byte[] garbage = [0xFF, 0x13, 0x37, 0x00, 0x42];
        var broken = new StoredLogbook
        {
            RunId = stored.RunId,
            Version = stored.Version,
            Header = damaged == "header" ? garbage : stored.Header,
            Run = damaged == "run" ? stored.Run with { Payload = garbage } : stored.Run,
            Atoms = damaged == "atom" ? [stored.Atoms[0] with { Payload = garbage }] : stored.Atoms,
        };

        var exception = Assert.Throws<FlowStorageException>(() => RunLogbookState.Load(broken, Serializer));

        Assert.Contains("run-1", exception.Message);
        Assert.Contains("cannot be read", exception.Message);
    }

    [Fact]
    public void ToLogbook_IsACopy_LaterAppliesDoNotChangeIt()
    {
        var state = NewRun(Executed(A, 42));
        var logbook = state.ToLogbook();

        state.Apply(Changes(Run(FlowState.Success), Executed(B, 1)));

        Assert.Same(state.Header, logbook.Header);
        Assert.Equal(FlowState.Running, logbook.Run.State);
        Assert.Equal(1, logbook.Run.Sequence);
        Assert.Equal([AtomState.Success, AtomState.Pending, AtomState.Pending], logbook.Atoms.Select(a => a.State));
        Assert.Equal(42, logbook.Atoms[A].Result);
    }

    [Fact]
    public void ToSnapshot_Run_ShowsAtomsResultsAndFailures()
    {
        var started = Record(AtomState.Running);
        started.StartedAt = Epoch;
        started.RanOn = "silo-2";
        started.Progress = 0.25;
        started.ProgressDetails = "a quarter";
        var state = NewRun(Executed(A, 42), new AtomChange(C, started, AtomOutcome.None));
        state.Apply(Changes(ExecuteFailed(B, Boom)));

        var snapshot = state.ToSnapshot();

        Assert.Equal(("run-1", "chain", "chain-factory", FlowState.Running, Epoch), (snapshot.FlowId, snapshot.FlowName, snapshot.FactoryName, snapshot.State, snapshot.CreatedAt));
        Assert.Equal(["a", "b", "c"], snapshot.Atoms.Select(a => a.Name));
        Assert.Equal(["source", "sink", "noop"], snapshot.Atoms.Select(a => a.TaskName));
        Assert.Equal([AtomState.Success, AtomState.Failure, AtomState.Running], snapshot.Atoms.Select(a => a.State));
        Assert.Equal(42, snapshot.Atoms[A].Result);
        Assert.Equal(Boom, snapshot.Atoms[B].Failure);
        Assert.Equal((Epoch, "silo-2", 0.25, "a quarter"), (snapshot.Atoms[C].StartedAt!.Value, snapshot.Atoms[C].RanOn, snapshot.Atoms[C].Progress, snapshot.Atoms[C].ProgressDetails));
        Assert.Equal(42, snapshot.Results["x"]);
        Assert.Equal(Boom, Assert.Single(snapshot.Failures, f => f.Key == "b").Value);
        Assert.DoesNotContain("a", snapshot.Failures.Keys);
    }

    [Fact]
    public void ToSnapshot_Cancelled_FlowFailureUnderTheFlowName()
    {
        var state = NewRun(Started(A));
        var run = Run(FlowState.Reverted);
        run.Cancellation = Failure.Create("TaskFlow.Orleans.FlowCancelledException", "Cancelled by the user.");
        run.FinishedAt = Epoch.AddHours(1);

        state.Apply(Changes(run, RevertFailed(A, Gotcha)));
        var snapshot = state.ToSnapshot();

        Assert.Equal(FlowState.Reverted, snapshot.State);
        Assert.Equal(Epoch.AddHours(1), snapshot.FinishedAt);
        Assert.Equal("Cancelled by the user.", snapshot.Failures["chain"].Message);
        Assert.Equal(Gotcha, snapshot.Failures["a"]);
    }
}
