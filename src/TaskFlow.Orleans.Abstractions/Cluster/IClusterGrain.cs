namespace TaskFlow.Orleans.Cluster;

/// <summary>Describes the cluster to operators: its silos, and what can be started on it.</summary>
/// <remarks>A stateless worker: any silo answers, asking each active silo what it registers. Use key 0.</remarks>
[Alias("taskflow.IClusterGrain")]
public interface IClusterGrain : IGrainWithIntegerKey
{
    /// <summary>Every silo in the membership table, with its status and, for active silos, what it registers and runs.</summary>
    /// <returns>The view.</returns>
    [Alias("get-cluster")]
    Task<ClusterView> GetClusterAsync();

    /// <summary>The flow factories and tasks registered on the active silos (the union over silos).</summary>
    /// <returns>The catalog.</returns>
    [Alias("get-catalog")]
    Task<FlowCatalog> GetCatalogAsync();
}
