using System.Collections.Immutable;
using System.Runtime;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

/// <summary>Very large inputs are refused without taking the silo down or leaving its memory high: the client refuses them
/// before sending, and a silo closes a connection whose message announces a body over its limit before reading it.</summary>
[Collection(LimitsCollection.Name)]
public sealed class OversizedInputTests(LimitsClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>How much more the process may hold after a refused input than before it (a behaviour bound, not a timing).</summary>
    private const long MemoryBound = 50L << 20;

    private static readonly FlowDefinition Echo = Flow.Linear("echo-flow").Add<EchoTask>("echo", provides: "out").Build();

    /// <summary>The managed memory the process holds after full, compacting collections (the silo and client share it).</summary>
    private static long SettledMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private async Task AssertSiloHealthyAsync()
    {
        var result = await fixture.Client.RunAsync(Echo, new FlowInputs { ["value"] = 42 }, new StartFlowOptions { FlowId = $"after-{Guid.NewGuid():N}" })
            .WaitAsync(Timeout);
        Assert.Equal(42, result.Get<int>("out"));
    }

    [Fact]
    public async Task StartAsync_100MbInput_ClientRefusesBeforeSendingAndMemoryReturns()
    {
        var flowId = $"huge-{Guid.NewGuid():N}";
        var before = SettledMemory();

        await RefuseAsync(flowId);

        Assert.Null(await LimitsClusterFixture.Store.ReadAsync(flowId));
        await AssertSiloHealthyAsync();
        var after = SettledMemory();
        Assert.True(after - before < MemoryBound, $"The process holds {(after - before) >> 20} MB more after the refused input than before it.");
    }

    private async Task RefuseAsync(string flowId)
    {
        var input = new FlowInputs { ["value"] = new string('h', 100 << 20) };
        var exception = await Assert.ThrowsAsync<LimitExceededException>(
            () => fixture.Client.StartAsync(Echo, input, new StartFlowOptions { FlowId = flowId }).WaitAsync(Timeout));
        Assert.Equal("ValueSize", exception.LimitName);
        Assert.Contains("TaskFlow:Limits:MaxValueBytes", exception.Message);
    }
}

/// <summary>A client that skips TaskFlowClient's checks sends a 50 MB message: the silo refuses it at the connection, stores
/// nothing and stays healthy. On a cluster of its own: the refused connection disturbs the client's other calls for a while.</summary>
[Collection(RawClientCollection.Name)]
public sealed class RawOversizedMessageTests(RawClientFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly FlowDefinition Echo = Flow.Linear("echo-flow").Add<EchoTask>("echo", provides: "out").Build();

    /// <summary>The silo runs flows for callers inside it (its hosted client does not go through the refused connection).</summary>
    private async Task AssertSiloHealthyInsideAsync()
    {
        var silo = fixture.Cluster.GetActiveSilos().OfType<global::Orleans.TestingHost.InProcessSiloHandle>().Single();
        var grains = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IGrainFactory>(silo.ServiceProvider);
        var result = await new TaskFlowClient(grains, LimitsClusterFixture.Limits)
            .RunAsync(Echo, new FlowInputs { ["value"] = 7 }, new StartFlowOptions { FlowId = $"inside-{Guid.NewGuid():N}" }).WaitAsync(Timeout);
        Assert.Equal(7, result.Get<int>("out"));
    }

    /// <summary>The external client reconnects and is answered again (a deadline-bounded poll of a read-only call: its first
    /// calls may still time out, and Orleans may send a timed-out request again once reconnected).</summary>
    private async Task AssertClientRecoversAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                await fixture.Client.CountByStateAsync().WaitAsync(Timeout);
                return;
            }
            catch (Exception exception) when (exception is TimeoutException or global::Orleans.Runtime.OrleansMessageRejectionException
                                              && DateTime.UtcNow < deadline)
            {
            }
        }
    }

    [Fact]
    public async Task StartAsync_50MbInputFromRawClient_SiloRefusesTheMessageAndStaysHealthy()
    {
        // No memory bound here: the test's client shares the process, and Orleans' client keeps the buffers it serialized the
        // 50 MB message into in its pool, so the process's memory says nothing about the silo's. TaskFlowClient never sends it.
        var flowId = $"raw-huge-{Guid.NewGuid():N}";

        var exception = await SendRawAsync(flowId);

        // Orleans answers nothing for a message the silo refused at the connection: the caller times out.
        Assert.IsType<TimeoutException>(exception);
        Assert.Null(await RawClientFixture.Store.ReadAsync(flowId));
        await AssertSiloHealthyInsideAsync();
        await AssertClientRecoversAsync();
    }

    private async Task<Exception?> SendRawAsync(string flowId)
    {
        // A client that skips TaskFlowClient's checks: the silo's message limit (MaxMessageBytes, 1 MiB here) refuses it.
        var request = new FlowStartRequest
        {
            Definition = Echo,
            Inputs = ImmutableDictionary<string, object?>.Empty.Add("value", new string('r', 50 << 20)),
        };
        var exception = await Record.ExceptionAsync(() => fixture.Cluster.Client.GetGrain<IFlowGrain>(flowId).StartAsync(request).WaitAsync(Timeout));
        return exception;
    }
}

/// <summary>A one-silo cluster with the small limits and a store of its own, for <see cref="RawOversizedMessageTests"/>.</summary>
public sealed class RawClientFixture : IAsyncLifetime
{
    /// <summary>The silo's logbooks.</summary>
    public static global::TaskFlow.Orleans.Grains.Logbook.MemoryLogbookStore Store { get; } = new();

    private global::Orleans.TestingHost.TestCluster? _cluster;

    public global::Orleans.TestingHost.TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public ITaskFlowClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new global::Orleans.TestingHost.TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<LimitsClusterFixture.ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Client = new TaskFlowClient(_cluster.Client, LimitsClusterFixture.Limits);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    private sealed class Configurator : global::Orleans.TestingHost.ISiloConfigurator
    {
        public void Configure(global::Orleans.Hosting.ISiloBuilder siloBuilder) => LimitsClusterFixture.ConfigureSilo(siloBuilder, Store);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RawClientCollection : ICollectionFixture<RawClientFixture>
{
    public const string Name = "limits-raw";
}
