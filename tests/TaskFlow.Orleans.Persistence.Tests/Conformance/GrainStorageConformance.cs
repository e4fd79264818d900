using Orleans.Storage;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>
/// The storage conformance suite, written once and hosted per backend (memory, SQLite, PostgreSQL): every record a flow run
/// persists round-trips with exact types through the real provider, a missing record reads empty, concurrent writers meet
/// a version conflict instead of losing writes silently, and clearing works.
/// </summary>
/// <remarks>Each read uses a fresh <see cref="GrainState{T}"/>, as a new activation of the grain (on any silo) would.</remarks>
public abstract class GrainStorageConformance
{
    private const string FlowType = "taskflow-flow";
    private const string StorageType = "taskflow-storage";

    protected GrainStorageConformance(StorageFixture fixture) => Fixture = fixture;

    protected StorageFixture Fixture { get; }

    private IGrainStorage Storage
    {
        get
        {
            Fixture.Require();
            return Fixture.Storage;
        }
    }

    private static GrainId NewFlowId() => GrainId.Create(FlowType, "flow-" + Guid.NewGuid().ToString("N"));

    private static GrainId NewStorageId() => GrainId.Create(StorageType, "flow-" + Guid.NewGuid().ToString("N"));

    [SkippableFact]
    public async Task Read_NeverWritten_ReturnsEmptyStateWithoutETag()
    {
        var storage = Storage;
        await AssertEmpty<FlowDefinitionState>(storage, "flow-definition", NewFlowId());
        await AssertEmpty<FlowGrainState>(storage, "flow", NewFlowId());
        await AssertEmpty<StorageSetupState>(storage, "storage-setup", NewStorageId());
        await AssertEmpty<StorageResultsPage>(storage, "storage", NewStorageId());
    }

    [SkippableFact]
    public async Task WriteThenRead_FlowDefinitionState_RoundTripsExactly()
    {
        var read = await RoundTripAsync("flow-definition", NewFlowId(), SampleStates.Definition());

        Assert.Equal("boot-server", read.Definition!.Name);
        Assert.Equal("boot-server", read.FactoryName);
        Assert.Equal(["network", "golden-image"], read.InputNames);
        Assert.Equal(SampleStates.Started, read.CreatedAt);
    }

    [SkippableFact]
    public async Task WriteThenRead_FlowGrainState_RoundTripsExactly()
    {
        var written = SampleStates.Progress();
        var read = await RoundTripAsync("flow", NewFlowId(), written);

        Assert.Equal(FlowState.Running, read.FlowState);
        Assert.Equal(written.NodeStates, read.NodeStates);
        Assert.Equal(written.Attempts, read.Attempts);
        Assert.Equal(written.StartedAt, read.StartedAt);
        Assert.Equal(written.RanOn, read.RanOn);
        Assert.Equal(written.FlowFailure, read.FlowFailure);
        Assert.Equal(17, read.EventSequence);
        Assert.True(read.Reverting);
        Assert.Null(read.FinishedAt);
    }

    [SkippableFact]
    public async Task WriteThenRead_StorageSetupState_KeepsExactTypesOfInputs()
    {
        var read = await RoundTripAsync("storage-setup", NewStorageId(), SampleStates.Setup());

        var inputs = read.Setup!.Inputs;
        Assert.IsType<string>(inputs["network"]);
        Assert.IsType<int>(inputs["retries"]);
        Assert.IsType<long>(inputs["quota"]);
        Assert.Equal(SampleStates.Record, Assert.IsType<SampleRecord>(inputs["owner"]));
        Assert.Null(inputs["note"]);
        Assert.IsType<int>(read.Setup.Atoms[1].Injected["sizeGb"]);
        Assert.Equal(3, read.Setup.Atoms.Length);
    }

    [SkippableFact]
    public async Task WriteThenRead_StorageResultsPage_KeepsExactTypesOfResultsAndFailureCauses()
    {
        var read = await RoundTripAsync("storage", NewStorageId(), SampleStates.Results());

        Assert.Equal(42, Assert.IsType<int>(read.Results[0]));
        Assert.Equal(5_000_000_000L, Assert.IsType<long>(read.Results[1]));
        Assert.Equal("10.8.0.3", Assert.IsType<string>(read.Results[2]));
        Assert.Equal(SampleStates.Record, Assert.IsType<SampleRecord>(read.Results[3]));
        Assert.True(read.Results.ContainsKey(4));
        Assert.Null(read.Results[4]);
        Assert.IsType<double>(read.Results[5]);
        Assert.Equal(["a", "b"], Assert.IsType<string[]>(read.Results[6]));

        var failure = read.Failures[2];
        Assert.Equal("System.InvalidOperationException", failure.ExceptionTypeName);
        Assert.Equal("System.Net.Sockets.SocketException", failure.Cause!.ExceptionTypeName);
        Assert.Equal("No answer in 5 s", failure.Cause.Cause!.Message);
        Assert.Equal("Volume busy", read.RevertFailures[1].Message);
    }

    [SkippableFact]
    public async Task WriteThenRead_LargeResult_RoundTrips()
    {
        var big = new string('x', 4 * 1024 * 1024) + "end";
        var written = new StorageResultsPage { Results = { [0] = big } };

        var read = await RoundTripAsync("storage", NewStorageId(), written);

        Assert.Equal(big, read.Results[0]);
    }

    [SkippableFact]
    public async Task Write_Again_AdvancesETagAndReadSeesLatest()
    {
        var storage = Storage;
        var id = NewFlowId();
        var state = new GrainState<FlowGrainState>(SampleStates.Progress());
        await storage.WriteStateAsync("flow", id, state);
        var first = state.ETag;

        state.State = new FlowGrainState { FlowState = FlowState.Reverted, FinishedAt = SampleStates.Started.AddMinutes(1) };
        await storage.WriteStateAsync("flow", id, state);

        Assert.NotNull(first);
        Assert.NotEqual(first, state.ETag);
        var read = await ReadAsync<FlowGrainState>(storage, "flow", id);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(FlowState.Reverted, read.State!.FlowState);
    }

    [SkippableFact]
    public async Task Write_WithStaleETag_ThrowsInconsistentStateExceptionAndKeepsWinner()
    {
        var storage = Storage;
        var id = NewFlowId();
        var initial = new GrainState<FlowGrainState>(SampleStates.Progress());
        await storage.WriteStateAsync("flow", id, initial);
        var winner = await ReadAsync<FlowGrainState>(storage, "flow", id);
        var loser = await ReadAsync<FlowGrainState>(storage, "flow", id);

        winner.State!.FlowState = FlowState.Success;
        await storage.WriteStateAsync("flow", id, winner);
        loser.State!.FlowState = FlowState.Failure;

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("flow", id, loser));
        Assert.Equal(FlowState.Success, (await ReadAsync<FlowGrainState>(storage, "flow", id)).State!.FlowState);
    }

    [SkippableFact]
    public async Task Write_TwoFirstWritesWithoutETag_SecondThrowsInconsistentStateException()
    {
        var storage = Storage;
        var id = NewStorageId();
        var first = new GrainState<StorageSetupState>(SampleStates.Setup());
        var second = new GrainState<StorageSetupState>(new StorageSetupState());

        await storage.WriteStateAsync("storage-setup", id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("storage-setup", id, second));
        Assert.NotNull((await ReadAsync<StorageSetupState>(storage, "storage-setup", id)).State!.Setup);
    }

    [SkippableFact]
    public async Task Write_ConcurrentWritersWithSameETag_ExactlyOneWins()
    {
        var storage = Storage;
        var id = NewFlowId();
        await storage.WriteStateAsync("flow", id, new GrainState<FlowGrainState>(SampleStates.Progress()));
        var etag = (await ReadAsync<FlowGrainState>(storage, "flow", id)).ETag;

        var writers = Enumerable.Range(0, 8).Select(i => new GrainState<FlowGrainState>(new FlowGrainState { Attempts = [i] }, etag)).ToArray();
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await storage.WriteStateAsync("flow", id, w);
                return (Writer: w, Error: (Exception?)null);
            }
            catch (Exception exception)
            {
                return (Writer: w, Error: exception);
            }
        }));

        var won = Assert.Single(outcomes, o => o.Error is null);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsType<InconsistentStateException>(o.Error));
        var stored = await ReadAsync<FlowGrainState>(storage, "flow", id);
        Assert.Equal(won.Writer.State!.Attempts, stored.State!.Attempts);
        Assert.Equal(won.Writer.ETag, stored.ETag);
    }

    [SkippableFact]
    public async Task Clear_ThenRead_ReturnsEmptyStateAndRecordCanBeWrittenAgain()
    {
        var storage = Storage;
        var id = NewStorageId();
        var state = new GrainState<StorageResultsPage>(SampleStates.Results());
        await storage.WriteStateAsync("storage", id, state);

        await storage.ClearStateAsync("storage", id, state);

        Assert.False(state.RecordExists);
        Assert.Empty(state.State!.Results);
        var read = await ReadAsync<StorageResultsPage>(storage, "storage", id);
        Assert.False(read.RecordExists);
        Assert.Empty(read.State!.Results);

        state.State = new StorageResultsPage { Results = { [0] = 7 } };
        await storage.WriteStateAsync("storage", id, state);
        Assert.Equal(7, (await ReadAsync<StorageResultsPage>(storage, "storage", id)).State!.Results[0]);
    }

    [SkippableFact]
    public async Task Clear_WithStaleETag_ThrowsInconsistentStateException()
    {
        var storage = Storage;
        var id = NewStorageId();
        var state = new GrainState<StorageResultsPage>(SampleStates.Results());
        await storage.WriteStateAsync("storage", id, state);
        var stale = await ReadAsync<StorageResultsPage>(storage, "storage", id);
        await storage.WriteStateAsync("storage", id, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("storage", id, stale));
        Assert.True((await ReadAsync<StorageResultsPage>(storage, "storage", id)).RecordExists);
    }

    // Not checked: two grain types with the same key and the same state name. The ADO.NET provider keys rows by state name
    // and grain key only (the grain type is not among the parameters it binds), so they would share a row; TaskFlow's
    // grains share keys (the flow id) but use distinct state names. See the Persistence.AdoNet README.
    [SkippableFact]
    public async Task Records_OfDifferentStatesAndKeys_DoNotCollide()
    {
        var storage = Storage;
        var guid = Guid.NewGuid();
        var ids = new[]
        {
            // A Guid key is its "N" string, so the string keys differ from it on purpose.
            GrainId.Create(FlowType, "flow-" + guid.ToString("N")),
            GrainId.Create(FlowType, "flow-" + guid.ToString("N") + "-2"),
            GrainId.Create(GrainType.Create(FlowType), GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(GrainType.Create(FlowType), GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            GrainId.Create(GrainType.Create(FlowType), GrainIdKeyExtensions.CreateIntegerKey(guid.GetHashCode())),
            GrainId.Create(GrainType.Create(FlowType), GrainIdKeyExtensions.CreateIntegerKey(guid.GetHashCode(), "ext")),
        };
        for (var i = 0; i < ids.Length; i++)
        {
            await storage.WriteStateAsync("storage", ids[i], new GrainState<StorageResultsPage>(new StorageResultsPage { Results = { [0] = i } }));
            await storage.WriteStateAsync("flow", ids[i], new GrainState<FlowGrainState>(new FlowGrainState { Attempts = [100 + i] }));
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i, (await ReadAsync<StorageResultsPage>(storage, "storage", ids[i])).State!.Results[0]);
            Assert.Equal([100 + i], (await ReadAsync<FlowGrainState>(storage, "flow", ids[i])).State!.Attempts);
        }
    }

    private async Task<T> RoundTripAsync<T>(string stateName, GrainId id, T value)
        where T : class, new()
    {
        var storage = Storage;
        var written = new GrainState<T>(value);
        await storage.WriteStateAsync(stateName, id, written);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(written.RecordExists);

        var read = await ReadAsync<T>(storage, stateName, id);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.IsType<T>(read.State);
        // Same bytes under the Orleans serializer: every field, nested value and runtime type came back as written.
        Assert.Equal(Fixture.Serializer.SerializeToArray(value), Fixture.Serializer.SerializeToArray(read.State!));
        return read.State!;
    }

    private static async Task<GrainState<T>> ReadAsync<T>(IGrainStorage storage, string stateName, GrainId id)
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, id, state);
        return state;
    }

    private static async Task AssertEmpty<T>(IGrainStorage storage, string stateName, GrainId id)
        where T : class
    {
        var state = await ReadAsync<T>(storage, stateName, id);
        Assert.NotNull(state.State);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }
}
