using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Logbook;

public sealed class MemoryLogbookStoreTests
{
    private static LogbookWrite Write(string runId, long expectedVersion, params (int Id, AtomState State, byte Mark)[] atoms) => new()
    {
        RunId = runId,
        WriteId = Guid.NewGuid(),
        ExpectedVersion = expectedVersion,
        Header = expectedVersion == 0 ? [9, 9, (byte)runId.Length] : null,
        Run = new RunRow
        {
            FlowName = "flow",
            FactoryName = "factory",
            State = FlowState.Running,
            CreatedAt = LogbookTestKit.Epoch,
            UpdatedAt = LogbookTestKit.Epoch.AddSeconds(expectedVersion),
            Silo = "silo-1",
            FailureSummary = expectedVersion > 0 ? "a: Boom" : null,
            AtomCounts = [1, 2, 3, 0, 0, 0, 0, 0, 0],
            Payload = [(byte)(100 + expectedVersion)],
        },
        Atoms = [.. atoms.Select(a => new AtomRow(a.Id, a.State, [a.Mark]))],
    };

    [Fact]
    public async Task ReadAsync_UnknownRun_ReturnsNull()
    {
        var store = new MemoryLogbookStore();

        Assert.Null(await store.ReadAsync("nope"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task WriteAsync_NewRunWithHeader_StoresEveryRowExactly()
    {
        var store = new MemoryLogbookStore();
        var write = Write("r", 0, (1, AtomState.Running, 11), (0, AtomState.Success, 10));

        var statuses = await store.WriteAsync([write]);

        Assert.Equal([LogbookWriteStatus.Committed], statuses);
        var stored = await store.ReadAsync("r");
        Assert.NotNull(stored);
        Assert.Equal("r", stored.RunId);
        Assert.Equal(1, stored.Version);
        Assert.Equal([9, 9, 1], stored.Header);
        Assert.Equal(write.Run.FlowName, stored.Run.FlowName);
        Assert.Equal(write.Run.FactoryName, stored.Run.FactoryName);
        Assert.Equal(write.Run.Silo, stored.Run.Silo);
        Assert.Equal(write.Run.UpdatedAt, stored.Run.UpdatedAt);
        Assert.Equal([1, 2, 3, 0, 0, 0, 0, 0, 0], stored.Run.AtomCounts);
        Assert.Equal([100], stored.Run.Payload);
        Assert.Equal([0, 1], stored.Atoms.Select(a => a.AtomId)); // in atom id order
        Assert.Equal([AtomState.Success, AtomState.Running], stored.Atoms.Select(a => a.State));
        Assert.Equal([10], stored.Atoms[0].Payload);
        Assert.Equal([11], stored.Atoms[1].Payload);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task WriteAsync_NewRunWithoutHeader_ConflictsAndStoresNothing()
    {
        var store = new MemoryLogbookStore();
        var write = Write("r", 0);
        write = new LogbookWrite { RunId = write.RunId, WriteId = write.WriteId, ExpectedVersion = 0, Run = write.Run };

        Assert.Equal([LogbookWriteStatus.Conflict], await store.WriteAsync([write]));
        Assert.Null(await store.ReadAsync("r"));
    }

    [Fact]
    public async Task WriteAsync_LaterWrite_ReplacesRunRowAndOnlyTheAtomsItCarries()
    {
        var store = new MemoryLogbookStore();
        await store.WriteAsync([Write("r", 0, (0, AtomState.Running, 1), (1, AtomState.Running, 2))]);

        var statuses = await store.WriteAsync([Write("r", 1, (1, AtomState.Success, 3), (2, AtomState.Running, 4))]);

        Assert.Equal([LogbookWriteStatus.Committed], statuses);
        var stored = await store.ReadAsync("r");
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Version);
        Assert.Equal([9, 9, 1], stored.Header); // the header never changes
        Assert.Equal([101], stored.Run.Payload);
        Assert.Equal("a: Boom", stored.Run.FailureSummary);
        Assert.Equal([(0, AtomState.Running, (byte)1), (1, AtomState.Success, (byte)3), (2, AtomState.Running, (byte)4)],
            stored.Atoms.Select(a => (a.AtomId, a.State, a.Payload.Single())));
    }

    [Fact]
    public async Task WriteAsync_WrongExpectedVersion_ConflictsWithoutFailingTheOthersInTheBatch()
    {
        var store = new MemoryLogbookStore();
        await store.WriteAsync([Write("r", 0, (0, AtomState.Running, 1))]);

        var statuses = await store.WriteAsync([
            Write("r", 5, (0, AtomState.Success, 7)),
            Write("s", 0, (0, AtomState.Running, 8)),
            Write("r", 0, (0, AtomState.Success, 9)), // a new run whose id is taken
        ]);

        Assert.Equal([LogbookWriteStatus.Conflict, LogbookWriteStatus.Committed, LogbookWriteStatus.Conflict], statuses);
        var r = await store.ReadAsync("r");
        Assert.NotNull(r);
        Assert.Equal(1, r.Version);
        Assert.Equal([1], Assert.Single(r.Atoms).Payload);
        Assert.Equal(1, (await store.ReadAsync("s"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_SameWriteRetriedAfterItCommitted_CommittedAgainWithoutChangingAnything()
    {
        var store = new MemoryLogbookStore();
        var first = Write("r", 0, (0, AtomState.Running, 1));
        await store.WriteAsync([first]);
        var second = Write("r", 1, (0, AtomState.Success, 2));
        await store.WriteAsync([second]);

        var retried = await store.WriteAsync([second]);

        Assert.Equal([LogbookWriteStatus.Committed], retried);
        var stored = await store.ReadAsync("r");
        Assert.Equal(2, stored!.Version);
        Assert.Equal([2], Assert.Single(stored.Atoms).Payload);
    }

    [Fact]
    public async Task WriteAsync_OlderWriteRetriedAfterANewerCommitted_Conflicts()
    {
        var store = new MemoryLogbookStore();
        var first = Write("r", 0, (0, AtomState.Running, 1));
        await store.WriteAsync([first]);
        await store.WriteAsync([Write("r", 1, (0, AtomState.Success, 2))]);

        Assert.Equal([LogbookWriteStatus.Conflict], await store.WriteAsync([first]));
        Assert.Equal(2, (await store.ReadAsync("r"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_DifferentWriteAtTheCommittedVersion_Conflicts()
    {
        var store = new MemoryLogbookStore();
        await store.WriteAsync([Write("r", 0)]);

        // Another writer's write with the same expected version (not a retry: a different write id).
        Assert.Equal([LogbookWriteStatus.Conflict], await store.WriteAsync([Write("r", 0)]));
    }

    [Fact]
    public async Task WriteAsync_CallerChangesItsArraysAfterwards_StoredBytesStayAsWritten()
    {
        var store = new MemoryLogbookStore();
        var write = Write("r", 0, (0, AtomState.Running, 1));
        await store.WriteAsync([write]);

        write.Header![0] = 0;
        write.Run.Payload[0] = 0;
        write.Run.AtomCounts[0] = 42;
        write.Atoms[0].Payload[0] = 0;

        var stored = await store.ReadAsync("r");
        Assert.Equal([9, 9, 1], stored!.Header);
        Assert.Equal([100], stored.Run.Payload);
        Assert.Equal(1, stored.Run.AtomCounts[0]);
        Assert.Equal([1], stored.Atoms[0].Payload);
    }

    [Fact]
    public async Task ReadAsync_CallerChangesWhatItRead_StoreKeepsItsOwnCopy()
    {
        var store = new MemoryLogbookStore();
        await store.WriteAsync([Write("r", 0, (0, AtomState.Running, 1))]);
        var read = await store.ReadAsync("r");

        read!.Header[0] = 0;
        read.Run.Payload[0] = 0;
        read.Run.AtomCounts[1] = 42;
        read.Atoms[0].Payload[0] = 0;

        var again = await store.ReadAsync("r");
        Assert.Equal([9, 9, 1], again!.Header);
        Assert.Equal([100], again.Run.Payload);
        Assert.Equal(2, again.Run.AtomCounts[1]);
        Assert.Equal([1], again.Atoms[0].Payload);
    }

    [Fact]
    public async Task WriteAsync_CancelledToken_ThrowsAndStoresNothing()
    {
        var store = new MemoryLogbookStore();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync([Write("r", 0)], new CancellationToken(canceled: true)));
        Assert.Equal(0, store.Count);
    }
}
