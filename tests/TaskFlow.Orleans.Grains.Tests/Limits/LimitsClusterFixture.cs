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
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
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

    /// <summary>A raw call the silo refuses at the connection is never answered: the client gives up after its response timeout.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    internal sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Configure<global::Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => ConfigureSilo(siloBuilder, Store);
    }

    /// <summary>TaskFlow with the test tasks and the small <see cref="Limits"/>, keeping runs in <paramref name="store"/>.</summary>
    internal static void ConfigureSilo(ISiloBuilder siloBuilder, global::TaskFlow.Orleans.Grains.Logbook.MemoryLogbookStore store)
    {
        {
            var silo = SiloIdentity.Register(siloBuilder.Services);
            siloBuilder
                .AddTaskFlowMemoryStorage(store)
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
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LimitsCollection : ICollectionFixture<LimitsClusterFixture>
{
    public const string Name = "limits";
}
