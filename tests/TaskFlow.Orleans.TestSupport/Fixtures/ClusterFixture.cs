using global::Orleans.TestingHost;
using TaskFlow.Orleans.Client;
using Xunit;

namespace TaskFlow.Orleans.Testing.Fixtures;

/// <summary>
/// One 3-silo <see cref="TestCluster"/> with the test tasks, shared by every test of an xUnit collection (a deploy costs
/// several seconds, PLATFORM.md §2). Tests give each flow a fresh id, so they do not see each other's runs.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>How many silos the cluster has.</summary>
    public const int SiloCount = 3;

    private TestCluster? _cluster;
    private ITaskFlowClient? _client;

    /// <summary>The cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <summary>A TaskFlow client over the cluster's client.</summary>
    public ITaskFlowClient Client => _client ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(SiloCount);
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
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
}
