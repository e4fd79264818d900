using global::Orleans.TestingHost;
using TaskFlow.Orleans.Client;
using Xunit;

namespace TaskFlow.Orleans.Testing.Fixtures;

/// <summary>
/// An Orleans <see cref="TestCluster"/> whose silos <typeparamref name="TConfigurator"/> sets up, deployed once for the tests
/// that share it (a deploy costs several seconds, PLATFORM.md §2), with a TaskFlow client over it.
/// </summary>
/// <typeparam name="TConfigurator">Configures each silo.</typeparam>
/// <param name="siloCount">How many silos the cluster starts with.</param>
public abstract class TestClusterFixture<TConfigurator>(short siloCount) : IAsyncLifetime
    where TConfigurator : ISiloConfigurator, new()
{
    private TestCluster? _cluster;
    private ITaskFlowClient? _client;

    /// <summary>The cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <summary>A TaskFlow client over the cluster's client.</summary>
    public ITaskFlowClient Client => _client ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(siloCount);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        Configure(builder);
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _client = new TaskFlowClient(_cluster.Client);
    }

    /// <summary>Adds to the cluster before it is built (a client configurator, say).</summary>
    /// <param name="builder">The builder.</param>
    protected virtual void Configure(TestClusterBuilder builder)
    {
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
