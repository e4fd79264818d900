namespace TaskFlow.Orleans.Testing.Fixtures;

/// <summary>
/// One 3-silo test cluster with the test tasks (<see cref="TestSiloConfigurator"/>), shared by every test of an xUnit
/// collection. Tests give each flow a fresh id, so they do not see each other's runs.
/// </summary>
public sealed class ClusterFixture() : TestClusterFixture<TestSiloConfigurator>(SiloCount)
{
    /// <summary>How many silos the cluster has.</summary>
    public const short SiloCount = 3;
}
