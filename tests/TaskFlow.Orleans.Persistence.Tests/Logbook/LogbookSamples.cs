using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>Logbook writes for the conformance suite, and exact comparison of what a store gives back.</summary>
public static class LogbookSamples
{
    /// <summary>A creation time with a non-zero offset and sub-second digits to the microsecond (the precision stores keep).</summary>
    public static readonly DateTimeOffset Created = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(2)).AddTicks(5_897_930);

    public static string NewRunId() => "run-" + Guid.NewGuid().ToString("N");

    /// <summary>Deterministic bytes of the given length; every byte value occurs once the length reaches 256.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i + seed);
        }

        return bytes;
    }

    public static RunRow Run(int step = 0, FlowState state = FlowState.Running) => new()
    {
        FlowName = "boot-server",
        FactoryName = "boot-server-factory",
        State = state,
        CreatedAt = Created,
        UpdatedAt = Created.AddSeconds(step).AddTicks(10 * step),
        FinishedAt = state is FlowState.Success or FlowState.Failure ? Created.AddMinutes(5) : null,
        Silo = "S127.0.0.1:11111:1",
        FailureSummary = state == FlowState.Failure ? "task 'image' failed: disk full" : null,
        Tags = ["prod", "team a", "été"],
        AtomCounts = [3 - Math.Min(step, 3), Math.Min(step, 3), 0, 0, 0, 0, 0, 0, 0],
        Payload = Bytes(300 + step, step),
    };

    public static AtomRow Atom(int atomId, int step = 0, AtomState state = AtomState.Pending) =>
        new(atomId, state, Bytes(20 + atomId + step, (atomId * 31) + step));

    /// <summary>The first write of a new run: version 0 to 1, with a header and three atoms.</summary>
    public static LogbookWrite Create(string runId, byte[]? header = null, RunRow? run = null, IReadOnlyList<AtomRow>? atoms = null) => new()
    {
        RunId = runId,
        WriteId = Guid.NewGuid(),
        ExpectedVersion = 0,
        Header = header ?? Bytes(512, 7),
        Run = run ?? Run(),
        Atoms = atoms ?? [Atom(2), Atom(0), Atom(1)],
    };

    /// <summary>A later write of a run at <paramref name="expectedVersion"/>.</summary>
    public static LogbookWrite Update(string runId, long expectedVersion, IReadOnlyList<AtomRow>? atoms = null, byte[]? header = null) => new()
    {
        RunId = runId,
        WriteId = Guid.NewGuid(),
        ExpectedVersion = expectedVersion,
        Header = header,
        Run = Run((int)expectedVersion),
        Atoms = atoms ?? [Atom(1, (int)expectedVersion, AtomState.Running)],
    };

    /// <summary>Asserts that a stored run row equals the written one, column by column and byte by byte.</summary>
    public static void AssertRun(RunRow expected, RunRow actual)
    {
        Assert.Equal(expected.FlowName, actual.FlowName);
        Assert.Equal(expected.FactoryName, actual.FactoryName);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.FinishedAt, actual.FinishedAt);
        Assert.Equal(expected.Silo, actual.Silo);
        Assert.Equal(expected.FailureSummary, actual.FailureSummary);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.AtomCounts, actual.AtomCounts);
        Assert.Equal(expected.Payload, actual.Payload);
    }

    /// <summary>Asserts that atom rows equal the expected ones, in the given order, byte by byte.</summary>
    public static void AssertAtoms(IEnumerable<AtomRow> expected, IReadOnlyList<AtomRow> actual)
    {
        var want = expected.ToArray();
        Assert.Equal(want.Select(a => (a.AtomId, a.State)), actual.Select(a => (a.AtomId, a.State)));
        for (var i = 0; i < want.Length; i++)
        {
            Assert.Equal(want[i].Payload, actual[i].Payload);
        }
    }

    /// <summary>Asserts that two reads of a logbook are the same: nothing changed in between.</summary>
    public static void AssertSame(StoredLogbook before, StoredLogbook? after)
    {
        Assert.NotNull(after);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Header, after.Header);
        AssertRun(before.Run, after.Run);
        AssertAtoms(before.Atoms, after.Atoms);
    }
}
