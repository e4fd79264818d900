using System.Collections.Immutable;
using global::Orleans.Serialization;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Limits;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

/// <summary>Each limit: over it is refused with a message naming the limit, its size and the setting, and nothing is stored;
/// exactly at it is accepted. The client refuses first; a client that skips its checks (the raw grain interface) is refused
/// by the silo.</summary>
[Collection(LimitsCollection.Name)]
public sealed class LimitsTests(LimitsClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TaskFlowLimits Limits = LimitsClusterFixture.Limits;

    private ITaskFlowClient Client => fixture.Client;

    private static FlowDefinition EchoFlow(int atoms = 1)
    {
        var flow = Flow.Linear("echoes");
        for (var i = 0; i < atoms; i++)
        {
            flow = flow.Add<EchoTask>($"echo-{i}", provides: $"out-{i}");
        }

        return flow.Build();
    }

    private static FlowInputs Value(object? value) => new() { ["value"] = value };

    private static StartFlowOptions Id(string flowId) => new() { FlowId = flowId };

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 33, Limits.MaxFlowIdLength)];

    private IFlowGrain RawGrain(string flowId) => fixture.Cluster.Client.GetGrain<IFlowGrain>(flowId);

    private static FlowStartRequest RawRequest(FlowDefinition definition, FlowInputs inputs) =>
        new() { Definition = definition, Inputs = inputs.ToImmutableDictionary(StringComparer.Ordinal) };

    /// <summary>How many runs the silo's store holds in all.</summary>
    private static async Task<long> StoredRunsAsync() => (await LimitsClusterFixture.Store.CountByStateAsync()).Values.Sum();

    private static async Task AssertNothingStoredAsync(string flowId, long runsBefore)
    {
        Assert.Null(await LimitsClusterFixture.Store.ReadAsync(flowId));
        Assert.Equal(runsBefore, await StoredRunsAsync());
    }

    /// <summary>A string whose serialized size (as an input value) is exactly <paramref name="bytes"/>.</summary>
    private string StringOfSerializedSize(long bytes)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var overhead = PayloadMeter.Measure(serializer, new string('v', (int)bytes / 2), long.MaxValue) - bytes / 2;
        var value = new string('v', (int)(bytes - overhead));
        Assert.Equal(bytes, PayloadMeter.Measure(serializer, value, long.MaxValue));
        return value;
    }

    [Fact]
    public async Task StartAsync_FlowIdOverLengthLimit_ClientThrowsArgumentExceptionNamingTheRule()
    {
        var flowId = new string('a', Limits.MaxFlowIdLength + 1);
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Client.StartAsync(EchoFlow(), Value(1), Id(flowId)));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains($"{Limits.MaxFlowIdLength + 1} characters long, over the limit of {Limits.MaxFlowIdLength}", exception.Message);
        Assert.Contains("FlowIdLength", exception.Message);
        Assert.Contains("TaskFlow:Limits:MaxFlowIdLength", exception.Message);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Fact]
    public async Task StartAsync_8000CharacterIdFromRawClient_SiloThrowsFlowIdLengthNotAStorageError()
    {
        var flowId = new string('x', 8000);
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<LimitExceededException>(
            () => RawGrain(flowId).StartAsync(RawRequest(EchoFlow(), Value(1))).WaitAsync(Timeout));

        Assert.Equal("FlowIdLength", exception.LimitName);
        Assert.Equal(8000, exception.Actual);
        Assert.Equal(Limits.MaxFlowIdLength, exception.Maximum);
        Assert.Equal("TaskFlow:Limits:MaxFlowIdLength", exception.Setting);
        Assert.Contains("8,000 characters long", exception.Message);
        await AssertNothingStoredAsync(flowId, before);
        // Asking for it afterwards says there is no such run; nothing was read or created for it.
        await Assert.ThrowsAsync<FlowNotFoundException>(() => RawGrain(flowId).GetStatusAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task StartAsync_WhitespaceFlowId_ClientThrowsArgumentExceptionAndStoresNothing()
    {
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Client.StartAsync(EchoFlow(), Value(1), Id("   ")));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("StartFlowOptions.FlowId: Flow id \"   \" is only whitespace", exception.Message);
        await AssertNothingStoredAsync("   ", before);
    }

    [Theory]
    [InlineData("bad\u0007id", "control character (U+0007) at position 3")]
    [InlineData("bad\nid", "control character (U+000A) at position 3")]
    [InlineData("zero\u200Bwidth", "invisible format character (U+200B)")]
    [InlineData(" padded", "starts or ends with a space")]
    public async Task StartAsync_BadFlowIdCharacters_ClientAndSiloRefuseNamingTheRule(string flowId, string rule)
    {
        var before = await StoredRunsAsync();

        var client = await Assert.ThrowsAsync<ArgumentException>(() => Client.StartAsync(EchoFlow(), Value(1), Id(flowId)));
        var silo = await Assert.ThrowsAsync<ArgumentException>(() => RawGrain(flowId).StartAsync(RawRequest(EchoFlow(), Value(1))).WaitAsync(Timeout));

        Assert.Contains(rule, client.Message);
        Assert.Contains(rule, silo.Message);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\tb")]
    public void GetFlowHandle_BadFlowId_ThrowsArgumentExceptionNamingTheParameter(string flowId)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => Client.GetFlowHandle(flowId));

        Assert.Equal("flowId", exception.ParamName);
        Assert.StartsWith("Flow id", exception.Message);
    }

    [Fact]
    public async Task StartAsync_FlowIdOfExactlyTheLimit_Runs()
    {
        var flowId = ("exact-" + Guid.NewGuid().ToString("N") + new string('z', 40))[..Limits.MaxFlowIdLength];

        var result = await Client.RunAsync(EchoFlow(), Value(7), Id(flowId)).WaitAsync(Timeout);

        Assert.Equal(7, result.Get<int>("out-0"));
        Assert.NotNull(await LimitsClusterFixture.Store.ReadAsync(flowId));
    }

    [Fact]
    public async Task StartAsync_InputOverValueLimit_ClientThrowsLimitExceededBeforeSending()
    {
        var flowId = NewId("big-input");
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<LimitExceededException>(
            () => Client.StartAsync(EchoFlow(), Value(StringOfSerializedSize(Limits.MaxValueBytes + 1)), Id(flowId)));

        Assert.Equal("ValueSize", exception.LimitName);
        Assert.Equal(Limits.MaxValueBytes + 1, exception.Actual);
        Assert.Equal(Limits.MaxValueBytes, exception.Maximum);
        Assert.Equal("TaskFlow:Limits:MaxValueBytes", exception.Setting);
        Assert.Contains("Input 'value' is 4,097 bytes serialized, over the limit of 4,096 (ValueSize)", exception.Message);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Fact]
    public async Task StartAsync_InputOverValueLimitFromRawClient_SiloThrowsLimitExceededAndStoresNothing()
    {
        var flowId = NewId("raw-big-input");
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<LimitExceededException>(() =>
            RawGrain(flowId).StartAsync(RawRequest(EchoFlow(), Value(StringOfSerializedSize(Limits.MaxValueBytes + 1)))).WaitAsync(Timeout));

        Assert.Equal("ValueSize", exception.LimitName);
        Assert.Equal("TaskFlow:Limits:MaxValueBytes", exception.Setting);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Fact]
    public async Task StartAsync_InputOfExactlyTheValueLimit_Runs()
    {
        var value = StringOfSerializedSize(Limits.MaxValueBytes);

        var result = await Client.RunAsync(EchoFlow(), Value(value), Id(NewId("exact-input"))).WaitAsync(Timeout);

        Assert.Equal(value, result.Get<string>("out-0"));
    }

    [Fact]
    public async Task StartAsync_InputsOverRunPayloadTogether_ThrowsRunPayloadSizeAndStoresNothing()
    {
        var flowId = NewId("big-inputs");
        var before = await StoredRunsAsync();
        var part = StringOfSerializedSize(4000);
        var inputs = new FlowInputs { ["value"] = part, ["b"] = part, ["c"] = part }; // 12,000 bytes > 10,000

        var client = await Assert.ThrowsAsync<LimitExceededException>(() => Client.StartAsync(EchoFlow(), inputs, Id(flowId)));
        var silo = await Assert.ThrowsAsync<LimitExceededException>(() => RawGrain(flowId).StartAsync(RawRequest(EchoFlow(), inputs)).WaitAsync(Timeout));

        Assert.Equal("RunPayloadSize", client.LimitName);
        Assert.Equal("RunPayloadSize", silo.LimitName);
        Assert.Equal("TaskFlow:Limits:MaxRunPayloadBytes", silo.Setting);
        Assert.Equal(Limits.MaxRunPayloadBytes, silo.Maximum);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Fact]
    public async Task StartAsync_MoreAtomsThanTheLimit_ThrowsAtomsPerFlowAndStoresNothing()
    {
        var flowId = NewId("many-atoms");
        var before = await StoredRunsAsync();

        var exception = await Assert.ThrowsAsync<LimitExceededException>(
            () => Client.StartAsync(EchoFlow(Limits.MaxAtomsPerFlow + 1), Value(1), Id(flowId)).WaitAsync(Timeout));

        Assert.Equal("AtomsPerFlow", exception.LimitName);
        Assert.Equal(Limits.MaxAtomsPerFlow + 1, exception.Actual);
        Assert.Contains("Flow 'echoes' is 6 atoms, over the limit of 5 (AtomsPerFlow)", exception.Message);
        Assert.Contains("TaskFlow:Limits:MaxAtomsPerFlow", exception.Message);
        await AssertNothingStoredAsync(flowId, before);
    }

    [Fact]
    public async Task StartAsync_ExactlyTheAtomLimit_Runs()
    {
        var result = await Client.RunAsync(EchoFlow(Limits.MaxAtomsPerFlow), Value(3), Id(NewId("five-atoms"))).WaitAsync(Timeout);

        Assert.Equal(3, result.Get<int>($"out-{Limits.MaxAtomsPerFlow - 1}"));
    }

    [Fact]
    public async Task Execute_ResultOverValueLimit_FailsTheTaskAndRevertsWithoutStoringIt()
    {
        var flowId = NewId("big-result");
        var flow = Flow.Linear("big-result")
            .Add<EchoTask>("before", provides: "echoed")
            .Add(LimitsClusterFixture.RepeatTask, "repeat", provides: "repeated")
            .Build();

        var failed = await Assert.ThrowsAsync<FlowFailedException>(() =>
            Client.RunAsync(flow, new FlowInputs { ["value"] = 1, ["length"] = 10_000 }, Id(flowId)).WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, failed.State);
        Assert.Contains("(ValueSize)", failed.Failure!.Message);
        Assert.Contains("TaskFlow:Limits:MaxValueBytes", failed.Failure.Message);
        Assert.Contains("The result was not stored", failed.Failure.Message);
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        var repeat = Assert.Single(stored.Atoms, atom => atom.Name == "repeat");
        Assert.Null(repeat.Result);
        Assert.Equal(AtomState.Reverted, Assert.Single(stored.Atoms, atom => atom.Name == "before").State);
    }

    [Fact]
    public async Task Execute_ResultsOverRunPayload_FailTheTaskThatOverflowsAndRevert()
    {
        var flowId = NewId("payload");
        var flow = Flow.Linear("payload")
            .Add(LimitsClusterFixture.RepeatTask, "first", provides: "one")
            .Add(LimitsClusterFixture.RepeatTask, "second", provides: "two")
            .Add(LimitsClusterFixture.RepeatTask, "third", provides: "three")
            .Build();

        // Each result is about 4,000 bytes: within MaxValueBytes, but three of them pass MaxRunPayloadBytes (10,000).
        var failed = await Assert.ThrowsAsync<FlowFailedException>(() =>
            Client.RunAsync(flow, new FlowInputs { ["length"] = 4000 }, Id(flowId)).WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, failed.State);
        Assert.Contains("(RunPayloadSize)", failed.Failure!.Message);
        Assert.Contains("'third'", failed.Failure.Message);
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        Assert.Null(Assert.Single(stored.Atoms, atom => atom.Name == "third").Result);
        Assert.NotNull(Assert.Single(stored.Atoms, atom => atom.Name == "first").Result);
    }
}
