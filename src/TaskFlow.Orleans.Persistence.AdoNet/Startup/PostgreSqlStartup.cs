using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaskFlow.Orleans.Persistence.AdoNet.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

/// <summary>Makes a starting silo wait for its PostgreSQL database (bounded), apply or verify the schema, and otherwise fail
/// with a <see cref="TaskFlowDatabaseException"/> that names the database and the fix.</summary>
/// <remarks>Runs before membership (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>), reminders and grain storage
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>) first touch the database, so their own, less clear errors do not
/// come first.</remarks>
internal sealed partial class PostgreSqlStartup : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The lifecycle stage: just before the runtime initializes.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 100;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly TaskFlowPostgreSqlOptions _options;
    private readonly ILogger<PostgreSqlStartup> _logger;

    public PostgreSqlStartup(TaskFlowPostgreSqlOptions options, ILogger<PostgreSqlStartup> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>The schema parts the options need.</summary>
    public static TaskFlowSchemaParts Parts(TaskFlowPostgreSqlOptions options) =>
        TaskFlowSchemaParts.Persistence
        | (options.UseClustering ? TaskFlowSchemaParts.Clustering : TaskFlowSchemaParts.None)
        | (options.UseReminders ? TaskFlowSchemaParts.Reminders : TaskFlowSchemaParts.None);

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(PostgreSqlStartup), Stage, StartAsync);

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var connectionString = PostgreSqlDatabase.EffectiveConnectionString(_options);
        var target = PostgreSqlDatabase.Describe(connectionString);
        var parts = Parts(_options);
        await using var connection = await ConnectAsync(connectionString, target, cancellationToken);
        SchemaReport report;
        try
        {
            if (_options.ApplySchemaOnStart)
            {
                await PostgreSqlSchema.ApplyAsync(connection, parts, cancellationToken);
            }

            report = await PostgreSqlSchema.VerifyAsync(connection, parts, cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            throw PostgreSqlDatabase.Explain(exception, connectionString, _options.ApplySchemaOnStart ? "applying the TaskFlow schema" : "checking the TaskFlow schema");
        }

        TaskFlowSchema.ThrowIfIncomplete(report, target, "TaskFlowSchema.ApplyPostgreSqlAsync", nameof(TaskFlowPostgreSqlOptions));
        if (report.OutdatedQueries.Count > 0)
        {
            LogOutdatedQueries(target, string.Join(", ", report.OutdatedQueries));
        }

        LogReady(target, parts, _options.ApplySchemaOnStart ? "applied" : "verified", started.ElapsedMilliseconds);
    }

    private async Task<NpgsqlConnection> ConnectAsync(string connectionString, string target, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var remaining = _options.StartupRetryTimeout - deadline.Elapsed;
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
            // Each attempt waits no longer than the time left, so an unreachable host cannot stretch the bound.
            builder.Timeout = Math.Clamp((int)Math.Ceiling(remaining.TotalSeconds), 1, builder.Timeout);
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                await connection.DisposeAsync();
                if (!PostgreSqlDatabase.IsUnreachable(exception))
                {
                    throw PostgreSqlDatabase.Explain(exception, connectionString, "connecting at silo start");
                }

                remaining = _options.StartupRetryTimeout - deadline.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TaskFlowDatabaseException(
                        $"Could not reach {target} within {_options.StartupRetryTimeout.TotalSeconds:0.#} s ({attempt} attempt(s); last error: " +
                        $"{exception.Message}). Check that the server is running and that Host and Port in the connection string are " +
                        "right; TaskFlowPostgreSqlOptions.StartupRetryTimeout sets how long a starting silo waits.", exception);
                }

                var wait = delay < remaining ? delay : remaining;
                LogWaiting(target, attempt, exception.Message, (long)wait.TotalMilliseconds);
                await Task.Delay(wait, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
