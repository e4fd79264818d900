using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Limits;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

/// <summary>A one-silo cluster with small limits, so each limit can be reached, and met exactly, by a small flow.</summary>
public sealed class LimitsClusterFixture : IAsyncLifetime
{
    /// <summary>The task that returns a string of <c>length</c> characters.</summary>
    public const string RepeatTask = "limits.repeat";

    /// <summary>The limits of the silo, and of <see cref="Client"/>.</summary>
    public static TaskFlowLimits Limits => new()
    {
        MaxFlowIdLength = 40,
        MaxValueBytes = 4096,
        MaxRunPayloadBytes = 10_000,
        MaxAtomsPerFlow = 5,
        MaxMessageBytes = 1 << 20,
    };

    /// <summary>The logbooks of the silo.</summary>
    public static global::TaskFlow.Orleans.Grains.Logbook.MemoryLogbookStore Store { get; } = new();

    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <summary>A TaskFlow client that checks the same limits before sending.</summary>
    public ITaskFlowClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Client = new TaskFlowClient(_cluster.Client, Limits);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var silo = SiloIdentity.Register(siloBuilder.Services);
            siloBuilder
                .AddTaskFlowMemoryStorage(Store)
                .UseInMemoryReminderService()
                .AddTaskFlow(taskFlow => taskFlow
                    .AddTestTasks(silo)
                    .AddListener<RecordingListener>()
                    .AddTask(RepeatTask, (int length) => new string('r', length))
                    .ConfigureLimits(limits =>
                    {
                        var small = Limits;
                        limits.MaxFlowIdLength = small.MaxFlowIdLength;
                        limits.MaxValueBytes = small.MaxValueBytes;
                        limits.MaxRunPayloadBytes = small.MaxRunPayloadBytes;
                        limits.MaxAtomsPerFlow = small.MaxAtomsPerFlow;
                        limits.MaxMessageBytes = small.MaxMessageBytes;
                    }));
        }
    }
}

/// <summary>The tests that share <see cref="LimitsClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsClusterFixture>
{
    public const string Name = "limits";
}
