using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
public sealed class FaultClusterFixture() : TestClusterFixture<FaultClusterFixture.FaultSiloConfigurator>(SiloCount)
{
    /// <summary>How many silos the cluster starts with.</summary>
    public const short SiloCount = 2;

    /// <summary>The logbook store of every silo of this cluster.</summary>
    public static FaultInjectingLogbookStore Store { get; } = new();

    /// <inheritdoc />
    protected override void Configure(TestClusterBuilder builder)
    {
        // TestCluster makes Orleans' strongly consistent directory the default; real silos get it from AddTaskFlow alone,
        // and so do these, so that the silo-loss tests test what users run.
        builder.Options.SiloBuilderConfiguratorTypes.RemoveAll(type => type is not null && type.Contains("ConfigureDistributedGrainDirectory", StringComparison.Ordinal));
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
