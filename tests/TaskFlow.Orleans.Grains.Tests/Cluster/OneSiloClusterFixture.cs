using global::Orleans.TestingHost;
using TaskFlow.Orleans.Client;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>A test cluster of one silo set up by <typeparamref name="TConfigurator"/>, for tests that need a silo of their own
/// (their own store, listeners or tasks) rather than the shared three-silo cluster.</summary>
/// <typeparam name="TConfigurator">Configures the silo.</typeparam>
public abstract class OneSiloClusterFixture<TConfigurator> : IAsyncLifetime
    where TConfigurator : ISiloConfigurator, new()
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    public ITaskFlowClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        Configure(builder);
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Client = new TaskFlowClient(_cluster.Client);
    }

    /// <summary>Adds to the cluster before it is built (a client configurator, say).</summary>
    protected virtual void Configure(TestClusterBuilder builder)
    {
    }

    public virtual async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
