using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.Persistence.AdoNet.Storage;

namespace TaskFlow.Orleans.Persistence.AdoNet.Hosting;

/// <summary>Puts TaskFlow's flow storage in a SQLite file: durable, with no database server (the embedded default).</summary>
public static class TaskFlowSqliteSiloBuilderExtensions
{
    /// <summary>Adds grain storage for flows in a SQLite database file (Orleans ADO.NET with Microsoft.Data.Sqlite, TaskFlow's
    /// own schema, WAL mode), and makes the same file the silo's run logbook store (<c>ILogbookStore</c>, replacing any
    /// registered before).</summary>
    /// <remarks>
    /// <para>State is stored with the Orleans binary serializer (exact types of object-typed results). At start the silo
    /// creates the file and its directory when missing and applies or verifies the schema; a silo that cannot use the file
    /// does not start, and says why (<see cref="TaskFlowDatabaseException"/>). One silo per file: for several silos use
    /// PostgreSQL. Rows are keyed by <c>ClusterOptions.ServiceId</c>: set it explicitly and keep it stable.</para>
    /// <code>
    /// siloBuilder.UseLocalhostClustering(serviceId: "taskflow", clusterId: "dev")
    ///     .AddTaskFlowSqlite(o =&gt; o.DatabasePath = "data/taskflow.db");
    /// </code>
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options; called once, at this call.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid (the message says which and how to fix it).</exception>
    public static ISiloBuilder AddTaskFlowSqlite(this ISiloBuilder builder, Action<TaskFlowSqliteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TaskFlowSqliteOptions();
        configure(options);
        AdoNetStorageRegistration.ThrowIfInvalid(new TaskFlowSqliteOptionsValidator(), options);

        var fullPath = Path.GetFullPath(options.DatabasePath);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new SqliteStartup(options, sp.GetRequiredService<ILogger<SqliteStartup>>()));
        // No retries: SQLite is in-process, and Microsoft.Data.Sqlite already waits out a busy file.
        AdoNetStorageRegistration.AddStorage(builder.Services, options.StorageProviderName, SqliteSchema.Invariant,
            SqliteSchema.ConnectionString(fullPath), StorageFaultPolicy.NoRetries($"the SQLite database '{fullPath}'"));
        AdoNetStorageRegistration.AddLogbookStore(builder.Services, (sp, serviceId) =>
            new SqliteLogbookStore(fullPath, serviceId, sp.GetRequiredService<ILogger<SqliteLogbookStore>>()));
        return builder;
    }
}
