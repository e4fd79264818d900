using TaskFlow.Orleans.Testing.Fixtures;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Every cluster test shares one 3-silo TestCluster (a deploy costs several seconds).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection's name, for <c>[Collection(ClusterCollection.Name)]</c>.</summary>
    public const string Name = "cluster";
}
