using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>
/// The <see cref="ILogbookStore"/> contract, written once and hosted per store (memory, SQLite, PostgreSQL): rows round-trip
/// exactly; a write at the wrong version stores nothing and does not fail the rest of its batch; a retried write is
/// recognised; the header is written once; atom rows are upserted; batches and concurrent writers keep it all; ServiceIds
/// are isolated.
/// </summary>
public abstract partial class LogbookStoreConformance
{
    protected LogbookStoreConformance(LogbookStoreFixture fixture) => Fixture = fixture;

    protected LogbookStoreFixture Fixture { get; }

    private ILogbookStore Store
    {
        get
        {
            Fixture.Require();
            return Fixture.Store;
        }
    }

    private static async Task<LogbookWriteStatus> WriteOneAsync(ILogbookStore store, LogbookWrite write) =>
        Assert.Single(await store.WriteAsync([write]));

    private static async Task<StoredLogbook> ReadExistingAsync(ILogbookStore store, string runId)
    {
        var read = await store.ReadAsync(runId);
        Assert.NotNull(read);
        return read;
    }

    [SkippableFact]
    public async Task Read_NeverWritten_ReturnsNull()
    {
        Assert.Null(await Store.ReadAsync(NewRunId()));
    }

    [SkippableFact]
    public async Task Write_EmptyBatch_ReturnsNoStatuses()
    {
        Assert.Empty(await Store.WriteAsync([]));
    }

    [SkippableFact]
    public async Task Create_ThenRead_RoundTripsEveryColumnAndPayloadExactly()
    {
        var store = Store;
        var runId = NewRunId();
        var run = Run(2, FlowState.Failure) with { Payload = Bytes(100_000, 3) };
        var create = Create(runId, header: Bytes(70_000, 11), run: run,
            atoms: [Atom(10, 0, AtomState.RevertFailure), Atom(0, 0, AtomState.Success), Atom(3, 0, AtomState.Retrying)]);

        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, create));

        var read = await ReadExistingAsync(store, runId);
        Assert.Equal(runId, read.RunId);
        Assert.Equal(1, read.Version);
        Assert.Equal(create.Header, read.Header);
        AssertRun(run, read.Run);
        Assert.NotNull(read.Run.FinishedAt);
        Assert.NotNull(read.Run.FailureSummary);
        AssertAtoms(create.Atoms.OrderBy(a => a.AtomId), read.Atoms);
    }

    [SkippableFact]
    public async Task Create_WithNullsAndEmpties_RoundTripsThem()
    {
        var store = Store;
        var runId = NewRunId();
        var run = new RunRow
        {
            FlowName = "f",
            State = FlowState.Pending,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Tags = [],
            AtomCounts = [],
            Payload = [],
        };
        var create = Create(runId, header: [], run: run, atoms: [new AtomRow(0, AtomState.Pending, [])]);

        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, create));

        var read = await ReadExistingAsync(store, runId);
        Assert.Empty(read.Header);
        AssertRun(run, read.Run);
        Assert.Null(read.Run.FactoryName);
        Assert.Null(read.Run.FinishedAt);
        Assert.Null(read.Run.Silo);
        Assert.Null(read.Run.FailureSummary);
        AssertAtoms(create.Atoms, read.Atoms);
    }

    [SkippableFact]
    public async Task Create_TagsWithSpacesCommasAndAnEmptyTag_RoundTrip()
    {
        var store = Store;
        var runId = NewRunId();
        var run = Run() with { Tags = ["a b", "c,d", "", "ü"] };

        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Create(runId, run: run)));

        Assert.Equal(["a b", "c,d", "", "ü"], (await ReadExistingAsync(store, runId)).Run.Tags);
    }

    [SkippableFact]
    public async Task Create_OfAnExistingRun_ConflictsAndChangesNothing()
    {
        var store = Store;
        var runId = NewRunId();
        await WriteOneAsync(store, Create(runId));
        var before = await ReadExistingAsync(store, runId);

        var again = Create(runId, header: Bytes(10, 99), run: Run(5), atoms: [Atom(0, 9, AtomState.Failure), Atom(7)]);
        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, again));

        AssertSame(before, await store.ReadAsync(runId));
    }

    [SkippableFact]
    public async Task Create_WithoutHeader_ConflictsAndStoresNothing()
    {
        var store = Store;
        var runId = NewRunId();
        var headerless = new LogbookWrite { RunId = runId, WriteId = Guid.NewGuid(), ExpectedVersion = 0, Run = Run(), Atoms = [Atom(0)] };

        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, headerless));

        Assert.Null(await store.ReadAsync(runId));
    }

    [SkippableFact]
    public async Task Update_OfAnAbsentRun_ConflictsAndStoresNothing()
    {
        var store = Store;
        var runId = NewRunId();

        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, Update(runId, 1, header: Bytes(4, 0))));

        Assert.Null(await store.ReadAsync(runId));
    }

    [SkippableFact]
    public async Task Update_AtTheWrongVersion_ConflictsAndChangesNothingWhileTheOtherWritesOfTheBatchCommit()
    {
        var store = Store;
        var (a, b, c, d) = (NewRunId(), NewRunId(), NewRunId(), NewRunId());
        Assert.All(await store.WriteAsync([Create(a), Create(b), Create(c)]), s => Assert.Equal(LogbookWriteStatus.Committed, s));
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Update(c, 1)));
        var bBefore = await ReadExistingAsync(store, b);
        var cBefore = await ReadExistingAsync(store, c);

        var aUpdate = Update(a, 1, atoms: [Atom(1, 1, AtomState.Success), Atom(5, 1, AtomState.Running)]);
        var bStale = Update(b, 2, atoms: [Atom(0, 9, AtomState.Failure), Atom(1, 9, AtomState.Failure), Atom(8)]);
        var cBehind = Update(c, 1, atoms: [Atom(2, 9, AtomState.Failure)]);
        var dCreate = Create(d);
        var statuses = await store.WriteAsync([aUpdate, bStale, cBehind, dCreate]);

        Assert.Equal([LogbookWriteStatus.Committed, LogbookWriteStatus.Conflict, LogbookWriteStatus.Conflict, LogbookWriteStatus.Committed], statuses);
        AssertSame(bBefore, await store.ReadAsync(b));
        AssertSame(cBefore, await store.ReadAsync(c));
        var aRead = await ReadExistingAsync(store, a);
        Assert.Equal(2, aRead.Version);
        AssertRun(aUpdate.Run, aRead.Run);
        AssertAtoms([Atom(0), aUpdate.Atoms[0], Atom(2), aUpdate.Atoms[1]], aRead.Atoms);
        Assert.Equal(1, (await ReadExistingAsync(store, d)).Version);
    }

    [SkippableFact]
    public async Task Retry_OfACommittedWrite_ReportsCommittedAndChangesNothing()
    {
        var store = Store;
        var runId = NewRunId();
        var create = Create(runId);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, create));
        var afterCreate = await ReadExistingAsync(store, runId);

        // The same write again (its outcome was unknown), and even a copy whose rows differ: recognised by its id, not stored.
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, create));
        var altered = new LogbookWrite
        {
            RunId = runId, WriteId = create.WriteId, ExpectedVersion = 0, Header = Bytes(9, 9), Run = Run(7), Atoms = [Atom(0, 7, AtomState.Failure), Atom(9)],
        };
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, altered));
        AssertSame(afterCreate, await store.ReadAsync(runId));

        var update = Update(runId, 1);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, update));
        var afterUpdate = await ReadExistingAsync(store, runId);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, update));
        AssertSame(afterUpdate, await store.ReadAsync(runId));

        // Once the run has moved on, the old write is no longer its last: a conflict, as is another write at that version.
        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, create));
        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(store, Update(runId, 1)));
        AssertSame(afterUpdate, await store.ReadAsync(runId));
    }

    [SkippableFact]
    public async Task Update_NeverRewritesTheHeader()
    {
        var store = Store;
        var runId = NewRunId();
        var create = Create(runId, header: Bytes(64, 1));
        await WriteOneAsync(store, create);

        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Update(runId, 1, header: Bytes(64, 2))));
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Update(runId, 2)));

        var read = await ReadExistingAsync(store, runId);
        Assert.Equal(3, read.Version);
        Assert.Equal(create.Header, read.Header);
    }

    [SkippableFact]
    public async Task Update_UpsertsTheAtomsItCarriesAndKeepsTheOthers()
    {
        var store = Store;
        var runId = NewRunId();
        await WriteOneAsync(store, Create(runId, atoms: [Atom(0), Atom(1), Atom(2)]));

        var changed = Atom(1, 1, AtomState.Success);
        var added = Atom(3, 1, AtomState.Running);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Update(runId, 1, atoms: [added, changed])));
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, Update(runId, 2, atoms: [])));

        var read = await ReadExistingAsync(store, runId);
        AssertAtoms([Atom(0), changed, Atom(2), added], read.Atoms);
        Assert.Equal(3, read.Version);
    }

    [SkippableFact]
    public async Task Batch_Of200Runs_CommitsInOneCallWithOneStatusPerWriteInOrder()
    {
        var store = Store;
        var runIds = Enumerable.Range(0, 200).Select(_ => NewRunId()).ToArray();
        var creates = runIds.Select(id => Create(id)).ToArray();
        Assert.All(await store.WriteAsync(creates), s => Assert.Equal(LogbookWriteStatus.Committed, s));

        // Every tenth at a stale version (conflict); every tenth retries its create (committed, unchanged); the rest update.
        var writes = runIds.Select((id, i) => (i % 10) switch
        {
            0 => Update(id, 3),
            1 => creates[i],
            _ => Update(id, 1, atoms: [Atom(i % 3, i, AtomState.Success)]),
        }).ToArray();
        var statuses = await store.WriteAsync(writes);

        Assert.Equal(writes.Select((_, i) => i % 10 == 0 ? LogbookWriteStatus.Conflict : LogbookWriteStatus.Committed), statuses);
        for (var i = 0; i < runIds.Length; i++)
        {
            var read = await ReadExistingAsync(store, runIds[i]);
            var last = i % 10 is 0 or 1 ? creates[i] : writes[i];
            Assert.Equal(i % 10 is 0 or 1 ? 1 : 2, read.Version);
            AssertRun(last.Run, read.Run);
            var atoms = creates[i].Atoms.ToDictionary(a => a.AtomId);
            if (i % 10 > 1)
            {
                atoms[i % 3] = writes[i].Atoms[0];
            }

            AssertAtoms(atoms.Values.OrderBy(a => a.AtomId), read.Atoms);
        }
    }

    [SkippableFact]
    public async Task ConcurrentWriters_OfDifferentRuns_AllCommitEveryVersion()
    {
        var store = Store;
        const int writers = 8, runsPerWriter = 5, versions = 6;
        var runs = Enumerable.Range(0, writers).Select(_ => Enumerable.Range(0, runsPerWriter).Select(_ => NewRunId()).ToArray()).ToArray();

        await Task.WhenAll(runs.Select(mine => Task.Run(async () =>
        {
            Assert.All(await store.WriteAsync(mine.Select(id => Create(id)).ToArray()), s => Assert.Equal(LogbookWriteStatus.Committed, s));
            for (var version = 1; version < versions; version++)
            {
                var v = version;
                var statuses = await store.WriteAsync(mine.Select(id => Update(id, v, atoms: [Atom(v % 3, v, AtomState.Running)])).ToArray());
                Assert.All(statuses, s => Assert.Equal(LogbookWriteStatus.Committed, s));
            }
        })));

        foreach (var runId in runs.SelectMany(r => r))
        {
            var read = await ReadExistingAsync(store, runId);
            Assert.Equal(versions, read.Version);
            AssertRun(Run(versions - 1), read.Run);
            AssertAtoms([Atom(0, 3, AtomState.Running), Atom(1, 4, AtomState.Running), Atom(2, 5, AtomState.Running)], read.Atoms);
        }
    }

    [SkippableFact]
    public async Task ConcurrentWriters_OfOneRunAtOneVersion_ExactlyOneCommits()
    {
        var store = Store;
        var runId = NewRunId();
        const int writers = 8;

        var creates = Enumerable.Range(0, writers).Select(i => Create(runId, header: Bytes(32, i), run: Run(i))).ToArray();
        var createStatuses = await Task.WhenAll(creates.Select(w => Task.Run(() => WriteOneAsync(store, w))));
        var created = creates[Assert.Single(Enumerable.Range(0, writers), i => createStatuses[i] == LogbookWriteStatus.Committed)];

        var updates = Enumerable.Range(0, writers).Select(i => Update(runId, 1, atoms: [Atom(0, i, AtomState.Success)])).ToArray();
        var updateStatuses = await Task.WhenAll(updates.Select(w => Task.Run(() => WriteOneAsync(store, w))));
        var updated = updates[Assert.Single(Enumerable.Range(0, writers), i => updateStatuses[i] == LogbookWriteStatus.Committed)];

        var read = await ReadExistingAsync(store, runId);
        Assert.Equal(2, read.Version);
        Assert.Equal(created.Header, read.Header);
        AssertRun(updated.Run, read.Run);
        AssertAtoms([updated.Atoms[0], created.Atoms[2], created.Atoms[0]], read.Atoms);
    }

    [SkippableFact]
    public async Task ServiceIds_AreIsolated()
    {
        Fixture.Require();
        var first = Fixture.For(Fixture.ServiceId + "-a");
        var second = Fixture.For(Fixture.ServiceId + "-b");
        var runId = NewRunId();
        var firstCreate = Create(runId, header: Bytes(8, 1), atoms: [Atom(0), Atom(1)]);

        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(first, firstCreate));
        Assert.Null(await second.ReadAsync(runId));
        Assert.Equal(LogbookWriteStatus.Conflict, await WriteOneAsync(second, Update(runId, 1)));

        // The same run id in the other service is another run: created at version 1, with its own header and atoms.
        var secondCreate = Create(runId, header: Bytes(8, 2), atoms: [Atom(5)]);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(second, secondCreate));
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(second, Update(runId, 1, atoms: [Atom(0, 4, AtomState.Failure)])));

        var firstRead = await ReadExistingAsync(first, runId);
        Assert.Equal(1, firstRead.Version);
        Assert.Equal(firstCreate.Header, firstRead.Header);
        AssertAtoms(firstCreate.Atoms, firstRead.Atoms);
        var secondRead = await ReadExistingAsync(second, runId);
        Assert.Equal(2, secondRead.Version);
        Assert.Equal(secondCreate.Header, secondRead.Header);
        AssertAtoms([Atom(0, 4, AtomState.Failure), Atom(5)], secondRead.Atoms);
    }
}
