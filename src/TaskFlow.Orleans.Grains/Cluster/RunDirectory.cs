using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using Orleans.Hosting;

namespace TaskFlow.Orleans.Grains.Cluster;

/// <summary>
/// Makes Orleans' strongly consistent in-cluster grain directory the silo's default, so that a run has one engine even while
/// a dead silo is voted out.
/// </summary>
/// <remarks>
/// <para>Orleans' default directory is eventually consistent: when a silo dies, the directory entries it held are lost and
/// the other silos deactivate every activation registered there. A run driven on a live silo then lost its engine after
/// that engine had already dispatched a task again (its executor died with the silo); the next call rebuilt the run on another
/// silo, which dispatched the same RUNNING task a third time (the 3-silo kill test, under load). The strongly consistent
/// directory recovers a dead silo's entries from the live silos instead, so the run keeps its engine.</para>
/// <para>Orleans 10 marks it experimental (<c>ORLEANSEXP003</c>); Orleans' own TestCluster uses it by default. Every silo of a
/// cluster must use the same directory: all TaskFlow silos call this through <c>AddTaskFlow</c>. A host that registered a
/// default directory of its own (e.g. Redis) before <c>AddTaskFlow</c> keeps it, and with it that directory's guarantee.</para>
/// </remarks>
internal static class RunDirectory
{
    /// <summary>Registers the directory as the silo's default, unless the host already chose a default directory.</summary>
    /// <param name="builder">The silo builder.</param>
    public static void AddTo(ISiloBuilder builder)
    {
        var chosen = builder.Services.Any(service => service.IsKeyedService && service.ServiceType == typeof(IGrainDirectory)
            && Equals(service.ServiceKey, GrainDirectoryAttribute.DEFAULT_GRAIN_DIRECTORY));
        if (!chosen)
        {
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10: the remarks say why TaskFlow depends on it
            builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }
    }
}
