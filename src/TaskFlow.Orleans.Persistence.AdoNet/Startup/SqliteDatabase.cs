using Microsoft.Data.Sqlite;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

/// <summary>Opening SQLite database files and explaining why one cannot be used.</summary>
internal static class SqliteDatabase
{
    /// <summary>Opens (creating it and its directory when missing) the database file, or explains why it cannot.</summary>
    public static async Task<SqliteConnection> OpenAsync(string databasePath, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(databasePath);
        try
        {
            var directory = Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new TaskFlowDatabaseException(
                $"Could not create the directory of the SQLite database '{fullPath}' ({exception.Message}). " +
                "Set TaskFlowSqliteOptions.DatabasePath to a file in a writable directory.", exception);
        }

        var connection = new SqliteConnection(SqliteSchema.ConnectionString(fullPath));
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Opening is lazy: touch the file so that a file that is not a database, or cannot be written, fails here.
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            await command.ExecuteScalarAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException exception)
        {
            await connection.DisposeAsync();
            throw Explain(exception, fullPath, "opening it");
        }
    }

    /// <summary>Turns a SQLite error into an exception that names the file and the fix.</summary>
    public static TaskFlowDatabaseException Explain(SqliteException exception, string fullPath, string doing) =>
        new($"Could not use the SQLite database '{fullPath}' while {doing} (SQLite error {exception.SqliteErrorCode}: {exception.Message}). {Fix(exception)}",
            exception);

    /// <summary>What to do about a SQLite error, as one sentence for a message.</summary>
    public static string Fix(SqliteException exception) => exception.SqliteErrorCode switch
    {
        14 => "Check that the directory exists and that the silo's user may create and write files in it.",  // SQLITE_CANTOPEN
        26 => "The file is not a SQLite database: point TaskFlowSqliteOptions.DatabasePath at a new file or a TaskFlow database.",  // SQLITE_NOTADB
        8 => "The file or its directory is read-only: give the silo's user write access.",  // SQLITE_READONLY
        5 or 6 => "Another process holds a lock on it: run one silo per SQLite file, or use PostgreSQL for several silos.",  // BUSY, LOCKED
        13 => "The disk is full.",  // SQLITE_FULL
        _ => "Check the file and its directory.",
    };
}
