using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.Persistence.AdoNet.Storage;

namespace TaskFlow.Orleans.Persistence.AdoNet.Hosting;

/// <summary>Puts TaskFlow on PostgreSQL: durable flow storage, and optionally cluster membership and reminders.</summary>
public static class TaskFlowPostgreSqlSiloBuilderExtensions
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Adds grain storage for flows on PostgreSQL (Orleans ADO.NET with Npgsql, TaskFlow's own schema), and
    /// PostgreSQL clustering and reminders when <see cref="TaskFlowPostgreSqlOptions.UseClustering"/> and
    /// <see cref="TaskFlowPostgreSqlOptions.UseReminders"/> are set. The same database becomes the silo's run logbook store
    /// (<c>ILogbookStore</c>, replacing any registered before).</summary>
    /// <remarks>
    /// <para>State is stored with the Orleans binary serializer (exact types of object-typed results). At start the silo
    /// waits for the database up to <see cref="TaskFlowPostgreSqlOptions.StartupRetryTimeout"/>, then applies or verifies
    /// the schema; a silo that cannot use its database does not start, and says why (<see cref="TaskFlowDatabaseException"/>).
    /// Database faults of a running silo reach grains as <see cref="FlowStorageException"/>, never as Npgsql exceptions.</para>
    /// <para>Rows are keyed by <c>ClusterOptions.ServiceId</c> (and membership by <c>ClusterId</c>), which this method does not
    /// set: configure both explicitly and keep the ServiceId stable.</para>
    /// <code>
    /// siloBuilder.AddTaskFlowPostgreSql(o =&gt;
    /// {
    ///     o.ConnectionString = "Host=db;Database=taskflow;Username=taskflow;Password=...";
    ///     o.UseClustering = true;
    ///     o.UseReminders = true;
    /// });
    /// </code>
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options; called once, at this call.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid (the message says which and how to fix it).</exception>
    public static ISiloBuilder AddTaskFlowPostgreSql(this ISiloBuilder builder, Action<TaskFlowPostgreSqlOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TaskFlowPostgreSqlOptions();
        configure(options);
        AdoNetStorageRegistration.ThrowIfInvalid(new TaskFlowPostgreSqlOptionsValidator(), options);

        var connectionString = PostgreSqlDatabase.EffectiveConnectionString(options);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new PostgreSqlStartup(options, sp.GetRequiredService<ILogger<PostgreSqlStartup>>()));

        var policy = new StorageFaultPolicy(PostgreSqlDatabase.Describe(connectionString), options.MaxStorageRetries, FirstRetryDelay,
            PostgreSqlDatabase.IsTransient, PostgreSqlDatabase.FailedBeforeSending);
        AdoNetStorageRegistration.AddStorage(builder.Services, options.StorageProviderName, PostgreSqlDatabase.Invariant, connectionString, policy);
        AdoNetStorageRegistration.AddLogbookStore(builder.Services, (sp, serviceId) =>
            new PostgreSqlLogbookStore(connectionString, serviceId, sp.GetRequiredService<ILogger<PostgreSqlLogbookStore>>()));

        if (options.UseClustering)
        {
            builder.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgreSqlDatabase.Invariant;
                o.ConnectionString = connectionString;
            });
        }

        if (options.UseReminders)
        {
            builder.UseAdoNetReminderService(o =>
            {
                o.Invariant = PostgreSqlDatabase.Invariant;
                o.ConnectionString = connectionString;
            });
        }

        return builder;
    }
}
