using TaskFlow.Orleans.Testing.Fixtures;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>A test cluster of one silo set up by <typeparamref name="TConfigurator"/>, for tests that need a silo of their own
/// (their own store, listeners or tasks) rather than the shared three-silo cluster.</summary>
/// <typeparam name="TConfigurator">Configures the silo.</typeparam>
public abstract class OneSiloClusterFixture<TConfigurator>() : TestClusterFixture<TConfigurator>(1)
    where TConfigurator : global::Orleans.TestingHost.ISiloConfigurator, new();
