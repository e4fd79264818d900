using Microsoft.Data.Sqlite;
using Npgsql;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;

namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>Installs and checks TaskFlow's own relational schema: the tables the Orleans ADO.NET providers read and write,
/// and the <c>OrleansQuery</c> table of named queries through which they do it.</summary>
/// <remarks>
/// <para>Silos apply the schema when they start (<c>ApplySchemaOnStart</c>, on by default). Call these methods from a setup
/// command to apply it ahead of time, e.g. as the database owner when silos run as a user that may not create tables.</para>
/// <para>Application is idempotent: tables are created if missing and named queries are upserted, so running it again, or
/// from several silos at once, is safe. It never drops or rewrites data. The scripts are this project's own (see
/// <c>Sql/</c> in the source), written to the providers' query contract; the Orleans packages ship none.</para>
/// <para>Rows are keyed by the cluster's ServiceId (grain state, reminders) and ClusterId (membership): one database can
/// hold several deployments, and a deployment whose ServiceId changes no longer sees its flows.</para>
/// </remarks>
public static class TaskFlowSchema
{
    /// <summary>Creates or updates TaskFlow's tables and named queries in a PostgreSQL database.</summary>
    /// <param name="connectionString">An Npgsql connection string; the tables go to the first schema of its search path.</param>
    /// <param name="parts">Which parts to apply.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is committed.</returns>
    /// <exception cref="TaskFlowDatabaseException">The database cannot be reached or the user may not create the tables.</exception>
    public static async Task ApplyPostgreSqlAsync(string connectionString, TaskFlowSchemaParts parts = TaskFlowSchemaParts.All, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await PostgreSqlSchema.ApplyAsync(connection, parts, cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw PostgreSqlDatabase.Explain(exception, connectionString, "applying the TaskFlow schema");
        }
    }

    /// <summary>Checks that a PostgreSQL database has every table, column and named query of <paramref name="parts"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="parts">Which parts to check.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is found complete.</returns>
    /// <exception cref="TaskFlowDatabaseException">Something is missing (the message lists every missing piece), or the
    /// database cannot be reached.</exception>
    public static async Task VerifyPostgreSqlAsync(string connectionString, TaskFlowSchemaParts parts = TaskFlowSchemaParts.All, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaReport report;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            report = await PostgreSqlSchema.VerifyAsync(connection, parts, cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw PostgreSqlDatabase.Explain(exception, connectionString, "checking the TaskFlow schema");
        }

        ThrowIfIncomplete(report, PostgreSqlDatabase.Describe(connectionString), "TaskFlowSchema.ApplyPostgreSqlAsync", "TaskFlowPostgreSqlOptions");
    }

    /// <summary>Creates or updates TaskFlow's tables and named queries in a SQLite database file, and puts it in WAL mode.</summary>
    /// <param name="databasePath">The database file; created with its directory when missing.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is committed.</returns>
    /// <exception cref="TaskFlowDatabaseException">The file cannot be created, opened or written.</exception>
    public static async Task ApplySqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        await using var connection = await SqliteDatabase.OpenAsync(databasePath, cancellationToken);
        try
        {
            await SqliteSchema.UseWriteAheadLogAsync(connection, cancellationToken);
            await SqliteSchema.ApplyAsync(connection, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw SqliteDatabase.Explain(exception, Path.GetFullPath(databasePath), "applying the TaskFlow schema");
        }
    }

    /// <summary>Checks that a SQLite database file has every table, column and named query of TaskFlow's grain storage.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is found complete.</returns>
    /// <exception cref="TaskFlowDatabaseException">Something is missing (the message lists every missing piece), or the file
    /// cannot be opened.</exception>
    public static async Task VerifySqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        await using var connection = await SqliteDatabase.OpenAsync(databasePath, cancellationToken);
        SchemaReport report;
        try
        {
            report = await SqliteSchema.VerifyAsync(connection, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw SqliteDatabase.Explain(exception, Path.GetFullPath(databasePath), "checking the TaskFlow schema");
        }

        ThrowIfIncomplete(report, $"The SQLite database '{Path.GetFullPath(databasePath)}'", "TaskFlowSchema.ApplySqliteAsync", "TaskFlowSqliteOptions");
    }

    /// <summary>The PostgreSQL schema of <paramref name="parts"/> as one idempotent psql script, for a database administrator.</summary>
    /// <param name="parts">Which parts to include.</param>
    /// <returns>The script: tables, then the named queries, in one transaction.</returns>
    public static string GetPostgreSqlScript(TaskFlowSchemaParts parts = TaskFlowSchemaParts.All) => PostgreSqlSchema.Script(parts);

    /// <summary>The SQLite schema as one idempotent script for the sqlite3 shell.</summary>
    /// <returns>The script: WAL mode, tables, then the named queries.</returns>
    public static string GetSqliteScript() => SqliteSchema.Script();

    internal static void ThrowIfIncomplete(SchemaReport report, string target, string apply, string optionsType)
    {
        if (!report.IsComplete)
        {
            throw new TaskFlowDatabaseException(
                $"The TaskFlow schema in {target} is incomplete: {string.Join("; ", report.Missing)}. Apply it with {apply} " +
                $"(the silo's setup command), or set {optionsType}.ApplySchemaOnStart = true so that silos apply it when they start.");
        }
    }
}
