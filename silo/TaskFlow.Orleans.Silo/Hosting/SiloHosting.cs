using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using TaskFlow.Orleans.Client.Security;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

namespace TaskFlow.Orleans.Silo.Hosting;

/// <summary>Configures a silo the way the host runs it; shared with the test host (tests/TaskFlow.Orleans.TestSilo).</summary>
internal static class SiloHosting
{
    /// <summary>Reads <see cref="SiloSettings"/> from the <c>Silo</c> section and checks them.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong; the message names it and the fix.</exception>
    public static SiloSettings Read(IConfiguration configuration)
    {
        SiloSettings settings;
        try
        {
            settings = configuration.GetSection("Silo").Get<SiloSettings>() ?? new SiloSettings();
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException(
                $"The Silo configuration section is invalid: {exception.Message} " +
                $"Storage is one of {string.Join(", ", Enum.GetNames<StorageKind>())}; Clustering is one of {string.Join(", ", Enum.GetNames<ClusteringKind>())}.",
                exception);
        }

        Validate(settings);
        return settings;
    }

    /// <summary>Checks settings, naming every problem and its fix.</summary>
    /// <param name="settings">The settings.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong.</exception>
    public static void Validate(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var needsPostgres = settings.Storage == StorageKind.PostgreSql || settings.Clustering == ClusteringKind.PostgreSql;
        if (needsPostgres && string.IsNullOrWhiteSpace(settings.PostgreSql))
        {
            problems.Add("Silo:PostgreSql (the connection string) is required when Storage or Clustering is PostgreSql; " +
                         "set Silo__PostgreSql=\"Host=127.0.0.1;Port=5432;Database=taskflow;Username=taskflow;Password=...\".");
        }

        if (settings.Clustering == ClusteringKind.PostgreSql && settings.Storage != StorageKind.PostgreSql)
        {
            problems.Add($"Silo:Clustering is PostgreSql but Silo:Storage is {settings.Storage}: silos of one cluster must share their flows. " +
                         "Set Silo__Storage=PostgreSql.");
        }

        foreach (var (name, port) in new[] { ("SiloPort", settings.SiloPort), ("GatewayPort", settings.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                problems.Add($"Silo:{name} is {port}; use a free TCP port between 1 and 65535.");
            }
        }

        if (settings.SiloPort == settings.GatewayPort)
        {
            problems.Add($"Silo:SiloPort and Silo:GatewayPort are both {settings.SiloPort}; give them different ports.");
        }

        if (string.IsNullOrWhiteSpace(settings.ClusterId) || string.IsNullOrWhiteSpace(settings.ServiceId))
        {
            problems.Add("Silo:ClusterId and Silo:ServiceId must not be empty; clients must use the same values, and stored rows are keyed by ServiceId.");
        }

        foreach (var check in new Action[] { () => SiloNetwork.ListenAddress(settings), () => SiloNetwork.AdvertisedAddress(settings) })
        {
            try
            {
                check();
            }
            catch (InvalidOperationException exception)
            {
                problems.Add(exception.Message);
                break;
            }
        }

        if (settings.Tls.Enabled)
        {
            try
            {
                _ = TaskFlowTls.Load(settings.Tls, TlsSettingName);
            }
            catch (InvalidOperationException exception)
            {
                problems.Add(exception.Message);
            }
        }

        if (settings.Storage == StorageKind.Sqlite && string.IsNullOrWhiteSpace(settings.SqlitePath))
        {
            problems.Add("Silo:SqlitePath is empty; set it to a database file, e.g. Silo__SqlitePath=.data/taskflow.db.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The silo is not configured correctly:" + Environment.NewLine + "  - " +
                                                string.Join(Environment.NewLine + "  - ", problems));
        }
    }

    private static string TlsSettingName(string name) => $"Silo:Tls:{name}";

    /// <summary>Clustering, storage, reminders and TaskFlow with the host's tasks and flows, as <paramref name="settings"/> say.</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="settings">Where to listen and what to store in.</param>
    /// <param name="addTasks">Registers the tasks and flows this host runs.</param>
    public static void Configure(ISiloBuilder silo, SiloSettings settings, Action<TaskFlowBuilder> addTasks)
    {
        Validate(settings);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });

        if (settings.Clustering == ClusteringKind.Localhost)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId)
                .UseInMemoryReminderService();
        }
        else
        {
            // Listen where the settings say (every interface by default) and advertise an address other machines reach.
            var listen = SiloNetwork.ListenAddress(settings);
            var advertised = SiloNetwork.AdvertisedAddress(settings);
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = settings.SiloPort;
                o.GatewayPort = settings.GatewayPort;
                if (advertised is not null)
                {
                    o.AdvertisedIPAddress = advertised;
                }

                o.SiloListeningEndpoint = new IPEndPoint(listen, settings.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(listen, settings.GatewayPort);
            });
        }

        silo.UseTaskFlowTls(settings.Tls, TlsSettingName);
        switch (settings.Storage)
        {
            case StorageKind.Memory:
                silo.AddTaskFlowMemoryStorage();
                break;
            case StorageKind.Sqlite:
                silo.AddTaskFlowSqlite(o => o.DatabasePath = settings.SqlitePath);
                break;
            default:
                silo.AddTaskFlowPostgreSql(o =>
                {
                    o.ConnectionString = settings.PostgreSql!;
                    o.UseClustering = settings.Clustering == ClusteringKind.PostgreSql;
                    o.UseReminders = settings.Clustering == ClusteringKind.PostgreSql;
                });
                break;
        }

        silo.AddTaskFlow(addTasks);
    }
}
