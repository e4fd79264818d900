using TaskFlow.Orleans.Client.Security;

namespace TaskFlow.Orleans.Silo.Hosting;

/// <summary>
/// The silo's configuration, read from the <c>Silo</c> section: appsettings.json, <c>Silo__*</c> environment variables, or
/// <c>--Silo:*</c> arguments (e.g. <c>Silo__Storage=PostgreSql</c>, <c>Silo__PostgreSql="Host=...;Database=taskflow;..."</c>).
/// </summary>
internal sealed class SiloSettings
{
    /// <summary>The port silos talk to each other on.</summary>
    /// <value>Default 11111.</value>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients connect to.</summary>
    /// <value>Default 30000.</value>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address the silo and gateway ports listen on: an IP address of this machine, or <c>0.0.0.0</c> / <c>::</c>
    /// for every interface.</summary>
    /// <value>Default: every interface (<c>0.0.0.0</c>) with <see cref="ClusteringKind.PostgreSql"/> clustering, so silos on
    /// other machines can reach it; loopback with <see cref="ClusteringKind.Localhost"/>.</value>
    public string? ListenAddress { get; set; }

    /// <summary>The address other silos and clients are told to use: an IP address or a host name (resolved when the silo
    /// starts). It is written into the cluster's membership table, so it must be reachable from every other silo and client.</summary>
    /// <value>Default: the listen address when it is a specific one; otherwise this machine's first non-loopback IPv4
    /// address (Orleans' own choice); loopback with <see cref="ClusteringKind.Localhost"/>.</value>
    public string? AdvertisedAddress { get; set; }

    /// <summary>TLS with mutual authentication between silos and at the gateway (<c>Silo:Tls:Enabled</c>,
    /// <c>Silo:Tls:Certificate</c>, <c>Silo:Tls:CertificateKey</c>, <c>Silo:Tls:CaCertificate</c>, ...).</summary>
    /// <value>Default: off.</value>
    public TaskFlowTlsOptions Tls { get; set; } = new();

    /// <summary>The cluster id; clients must use the same one.</summary>
    /// <value>Default <c>dev</c>.</value>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service id; stored rows are keyed by it, so never change it for a deployment.</summary>
    /// <value>Default <c>taskflow</c>.</value>
    public string ServiceId { get; set; } = "taskflow";

    /// <summary>Where flows are stored.</summary>
    /// <value>Default <see cref="StorageKind.Sqlite"/>: durable, no server needed.</value>
    public StorageKind Storage { get; set; } = StorageKind.Sqlite;

    /// <summary>The SQLite database file, for <see cref="StorageKind.Sqlite"/>.</summary>
    /// <value>Default <c>.data/taskflow.db</c> under the working directory.</value>
    public string SqlitePath { get; set; } = Path.Combine(".data", "taskflow.db");

    /// <summary>The PostgreSQL connection string, for PostgreSQL storage or clustering.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>How silos find each other and clients find silos.</summary>
    /// <value>Default <see cref="ClusteringKind.Localhost"/> (one silo, no store).</value>
    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;
}

/// <summary>Where a silo stores flows.</summary>
internal enum StorageKind
{
    /// <summary>In memory: lost when the silo stops (tests, benchmarks).</summary>
    Memory,

    /// <summary>A SQLite file: durable, single silo, no server.</summary>
    Sqlite,

    /// <summary>PostgreSQL: durable, shared by every silo of a cluster.</summary>
    PostgreSql,
}

/// <summary>How silos form a cluster.</summary>
internal enum ClusteringKind
{
    /// <summary>One silo on this machine; reminders in memory.</summary>
    Localhost,

    /// <summary>Membership and reminders in PostgreSQL: any number of silo processes and hosts.</summary>
    PostgreSql,
}
