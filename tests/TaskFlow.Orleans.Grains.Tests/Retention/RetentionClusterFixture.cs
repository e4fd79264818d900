using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Retention;

/// <summary>A one-silo cluster with a store of its own: a bulk purge deletes every finished run before a time, so it must not
/// see the runs of the other test clusters in this process.</summary>
public sealed class RetentionClusterFixture : Cluster.OneSiloClusterFixture<RetentionClusterFixture.Configurator>
{
    /// <summary>The logbooks of the silo.</summary>
    public static MemoryLogbookStore Store { get; } = new();

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var silo = SiloIdentity.Register(siloBuilder.Services);
            siloBuilder
                .AddTaskFlowMemoryStorage(Store)
                .UseInMemoryReminderService()
                .AddTaskFlow(taskFlow => taskFlow.AddTestTasks(silo).AddListener<RecordingListener>());
        }
    }
}

/// <summary>The tests that share <see cref="RetentionClusterFixture"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RetentionCollection : ICollectionFixture<RetentionClusterFixture>
{
    public const string Name = "retention";
}
