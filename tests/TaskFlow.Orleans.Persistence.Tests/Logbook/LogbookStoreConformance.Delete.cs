using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>
/// Purging (<see cref="ILogbookStore.DeleteAsync"/>): a finished run goes with its atom rows and its run-index entry; a run
/// that is not finished is refused, with its state, and left exactly as it was; an unknown run is "not found"; a stale write
/// of a deleted run does not bring it back, while a new run may take its id.
/// </summary>
public abstract partial class LogbookStoreConformance
{
    /// <summary>Creates a run and writes it to <paramref name="state"/> with a second write, so it has atom rows from both.</summary>
    private static async Task<StoredLogbook> StoreRunAsync(ILogbookStore store, string runId, FlowState state)
    {
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Create(runId)));
        var finish = Update(runId, 1, atoms: [Atom(1, 1, AtomState.Success), Atom(5, 1, AtomState.Failure)]);
        finish = new LogbookWrite
        {
            RunId = finish.RunId,
            WriteId = finish.WriteId,
            ExpectedVersion = finish.ExpectedVersion,
            Run = finish.Run with { State = state },
            Atoms = finish.Atoms,
        };
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, finish));
        return await ReadExistingAsync(store, runId);
    }

    [SkippableTheory]
    [InlineData(FlowState.Success)]
    [InlineData(FlowState.Failure)]
    [InlineData(FlowState.Reverted)]
    public async Task Delete_FinishedRun_DeletesItsRowItsAtomRowsAndItsIndexEntry(FlowState state)
    {
        var store = Store;
        var runId = NewRunId();
        await StoreRunAsync(store, runId, state);

        Assert.Equal(LogbookDeleteResult.Deleted, await store.DeleteAsync(runId));

        Assert.Null(await store.ReadAsync(runId));
        var index = await store.QueryAsync(new RunIndexQuery { IdPrefix = runId });
        Assert.Equal(0, index.Total);
        Assert.Empty(index.Entries);

        // The id is free: a new run under it has only its own atom rows (none of the deleted run's are left).
        var again = Create(runId, atoms: [Atom(0, 7)]);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, again));
        var read = await ReadExistingAsync(store, runId);
        Assert.Equal(1, read.Version);
        AssertAtoms(again.Atoms, read.Atoms);
    }

    [SkippableFact]
    public async Task Delete_ThenAStaleWriteOfTheRun_ConflictsAndDoesNotBringItBack()
    {
        var store = Store;
        var runId = NewRunId();
        await StoreRunAsync(store, runId, FlowState.Success);
        Assert.Equal(LogbookDeleteResult.Deleted, await store.DeleteAsync(runId));

        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, Update(runId, 2)));

        Assert.Null(await store.ReadAsync(runId));
    }

    [SkippableTheory]
    [InlineData(FlowState.Pending)]
    [InlineData(FlowState.Running)]
    [InlineData(FlowState.Suspending)]
    [InlineData(FlowState.Suspended)]
    [InlineData(FlowState.Resuming)]
    public async Task Delete_UnfinishedRun_IsRefusedWithItsStateAndChangesNothing(FlowState state)
    {
        var store = Store;
        var runId = NewRunId();
        var before = await StoreRunAsync(store, runId, state);

        var result = await store.DeleteAsync(runId);

        Assert.Equal(LogbookDeleteStatus.NotFinished, result.Status);
        Assert.Equal(state, result.State);
        AssertSame(before, await store.ReadAsync(runId));
        Assert.Equal(1, (await store.QueryAsync(new RunIndexQuery { IdPrefix = runId })).Total);
    }

    [SkippableFact]
    public async Task Delete_UnknownRun_ReturnsNotFound()
    {
        Assert.Equal(LogbookDeleteResult.NotFound, await Store.DeleteAsync(NewRunId()));
    }

    [SkippableFact]
    public async Task Delete_UnderAnotherServiceId_LeavesTheRunAlone()
    {
        var store = Store;
        var runId = NewRunId();
        var before = await StoreRunAsync(store, runId, FlowState.Success);

        Assert.Equal(LogbookDeleteResult.NotFound, await Fixture.For("other-" + Guid.NewGuid().ToString("N")[..8]).DeleteAsync(runId));

        AssertSame(before, await store.ReadAsync(runId));
    }
}
