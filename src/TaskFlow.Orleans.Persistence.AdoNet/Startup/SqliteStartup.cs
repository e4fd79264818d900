using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Persistence.AdoNet.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

/// <summary>Makes a starting silo open its SQLite file in WAL mode and apply or verify the schema, and otherwise fail with a
/// <see cref="TaskFlowDatabaseException"/> that names the file and the fix.</summary>
internal sealed partial class SqliteStartup : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly TaskFlowSqliteOptions _options;
    private readonly ILogger<SqliteStartup> _logger;

    public SqliteStartup(TaskFlowSqliteOptions options, ILogger<SqliteStartup> logger)
    {
        _options = options;
        _logger = logger;
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SqliteStartup), PostgreSqlStartup.Stage, StartAsync);

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var fullPath = Path.GetFullPath(_options.DatabasePath);
        await using var connection = await SqliteDatabase.OpenAsync(fullPath, cancellationToken);
        SchemaReport report;
        try
        {
            await SqliteSchema.UseWriteAheadLogAsync(connection, cancellationToken);
            if (_options.ApplySchemaOnStart)
            {
                await SqliteSchema.ApplyAsync(connection, cancellationToken);
            }

            report = await SqliteSchema.VerifyAsync(connection, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw SqliteDatabase.Explain(exception, fullPath, _options.ApplySchemaOnStart ? "applying the TaskFlow schema" : "checking the TaskFlow schema");
        }

        TaskFlowSchema.ThrowIfIncomplete(report, $"the SQLite database '{fullPath}'", "TaskFlowSchema.ApplySqliteAsync", nameof(TaskFlowSqliteOptions));
        LogReady(fullPath, _options.ApplySchemaOnStart ? "applied" : "verified", started.ElapsedMilliseconds);
    }
}
