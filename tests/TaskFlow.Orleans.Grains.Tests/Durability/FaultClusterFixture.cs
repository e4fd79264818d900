using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Testing.Faults;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Durability;

/// <summary>
/// A 2-silo TestCluster of its own for the save-protocol fault tests, so that faults never disturb other tests: both silos
/// keep their logbooks in one <see cref="FaultInjectingLogbookStore"/> (as they would in one database).
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    /// <summary>How many silos the cluster starts with.</summary>
    public const int SiloCount = 2;

    private TestCluster? _cluster;
    private ITaskFlowClient? _client;

    /// <summary>The logbook store of every silo of this cluster.</summary>
    public static FaultInjectingLogbookStore Store { get; } = new();

    /// <summary>The cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <summary>A TaskFlow client over the cluster's client.</summary>
    public ITaskFlowClient Client => _client ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(SiloCount);
        // TestCluster makes Orleans' strongly consistent directory the default; real silos get it from AddTaskFlow alone,
        // and so do these, so that the silo-loss tests test what users run.
        builder.Options.SiloBuilderConfiguratorTypes.RemoveAll(type => type is not null && type.Contains("ConfigureDistributedGrainDirectory", StringComparison.Ordinal));
        builder.AddSiloBuilderConfigurator<FaultSiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _client = new TaskFlowClient(_cluster.Client);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Mirrors <see cref="TestSiloConfigurator"/> (test tasks, in-memory reminders, a short response timeout), with
    /// the fault-injecting store.</summary>
    public sealed class FaultSiloConfigurator : ISiloConfigurator
    {
        /// <inheritdoc />
        public void Configure(ISiloBuilder siloBuilder)
        {
            var silo = SiloIdentity.Register(siloBuilder.Services);
            siloBuilder.Configure<global::Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = TestSiloConfigurator.ResponseTimeout);
            siloBuilder
                .UseInMemoryReminderService()
                .AddTaskFlow(taskFlow => taskFlow.AddTestTasks(silo).AddListener<RecordingListener>());
            siloBuilder.Services.RemoveAll<ILogbookStore>();
            siloBuilder.Services.AddSingleton<ILogbookStore>(Store);
        }
    }
}

/// <summary>The fault tests share one fault cluster; they run one at a time (a test may kill a silo).</summary>
[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fault-cluster";
}
