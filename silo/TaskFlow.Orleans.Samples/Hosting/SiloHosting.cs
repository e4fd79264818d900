using Orleans.Configuration;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Samples;


namespace TaskFlow.Orleans.Samples.Hosting;

/// <summary>Configures a silo the way this host runs it; shared with the command-line tool's in-process silo.</summary>
public static class SiloHosting
{
    /// <summary>Localhost clustering, in-memory grain storage, and TaskFlow with the sample tasks and flows.</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="settings">Ports and ids.</param>
    public static void Configure(ISiloBuilder silo, SiloSettings settings)
    {
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            })
            .AddMemoryGrainStorage("taskflow")
            .UseInMemoryReminderService()
            .AddTaskFlow(taskFlow => taskFlow.AddSamples());
    }
}
