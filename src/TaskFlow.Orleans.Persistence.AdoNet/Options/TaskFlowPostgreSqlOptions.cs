using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.AdoNet.Options;

/// <summary>Settings of TaskFlow on PostgreSQL: grain storage, and optionally cluster membership and reminders.</summary>
/// <remarks>
/// <para>Set them with <c>siloBuilder.AddTaskFlowPostgreSql(o =&gt; ...)</c>; <see cref="TaskFlowPostgreSqlOptionsValidator"/>
/// checks them at that call.</para>
/// <para>Rows are keyed by the cluster's <c>ServiceId</c> (grain state, reminders) and <c>ClusterId</c> (membership). These
/// options set neither: configure <c>ClusterOptions</c> explicitly and never change the ServiceId of a deployment, or its
/// stored flows are orphaned.</para>
/// </remarks>
public sealed class TaskFlowPostgreSqlOptions
{
    /// <summary>The default <see cref="MaxPoolSize"/>.</summary>
    public const int DefaultMaxPoolSize = 50;

    /// <summary>The default <see cref="MaxStorageRetries"/>.</summary>
    public const int DefaultMaxStorageRetries = 3;

    /// <summary>The default <see cref="StartupRetryTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultStartupRetryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=taskflow;Username=taskflow;Password=...</c>.</summary>
    /// <value>Required.</value>
    public string ConnectionString { get; set; } = "";

    /// <summary>The name of the grain storage provider; must match <c>TaskFlowOptions.StorageProviderName</c> (in TaskFlow.Orleans.Grains).</summary>
    /// <value>Default <c>"taskflow"</c>.</value>
    public string StorageProviderName { get; set; } = TaskFlowStorage.DefaultProviderName;

    /// <summary>Whether silos create or update TaskFlow's tables and named queries when they start.</summary>
    /// <remarks>Application is idempotent and serialized by an advisory lock, so silos starting together are fine. Set it to
    /// <see langword="false"/> when the silo's database role may not create tables: apply the schema once with
    /// <see cref="Schema.TaskFlowSchema.ApplyPostgreSqlAsync"/> as the owner; silos then only verify it.</remarks>
    /// <value>Default <see langword="true"/>.</value>
    public bool ApplySchemaOnStart { get; set; } = true;

    /// <summary>Whether silos find each other through PostgreSQL (Orleans ADO.NET clustering).</summary>
    /// <remarks>Leave it off for a single silo with localhost clustering. Clients use
    /// <c>clientBuilder.UseTaskFlowPostgreSqlClustering(connectionString)</c> to find the gateways.</remarks>
    /// <value>Default <see langword="false"/>.</value>
    public bool UseClustering { get; set; }

    /// <summary>Whether Orleans reminders are stored in PostgreSQL (Orleans ADO.NET reminders).</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool UseReminders { get; set; }

    /// <summary>The connection pool size per silo, used when <see cref="ConnectionString"/> does not set <c>Maximum Pool Size</c>.</summary>
    /// <remarks>Npgsql's own default of 100 exceeds what one PostgreSQL server accepts by default (<c>max_connections</c>
    /// 100, minus 3 reserved); under load the writes then fail with <c>53300: remaining connection slots are reserved</c>.
    /// Keep the sum over all silos below the server's <c>max_connections</c>.</remarks>
    /// <value>Default 50. Must be at least 1.</value>
    public int MaxPoolSize { get; set; } = DefaultMaxPoolSize;

    /// <summary>How long a starting silo keeps trying to reach the database before it gives up and fails to start.</summary>
    /// <remarks>Attempts back off from 250 ms to 5 s. A wrong password, a missing database or an invalid connection string
    /// fails at once instead: retrying cannot fix those.</remarks>
    /// <value>Default 30 seconds. Must not be negative.</value>
    public TimeSpan StartupRetryTimeout { get; set; } = DefaultStartupRetryTimeout;

    /// <summary>How many times a grain storage operation is retried after a fault that certainly left the database unchanged.</summary>
    /// <remarks>Reads are retried after any transient fault; writes and clears only when the connection could not be opened,
    /// because retrying a write whose outcome is unknown would report a false version conflict. Retries back off from
    /// 200 ms, doubling. When they run out the grain sees a <see cref="FlowStorageException"/>.</remarks>
    /// <value>Default 3. Must not be negative; 0 disables retries.</value>
    public int MaxStorageRetries { get; set; } = DefaultMaxStorageRetries;
}
