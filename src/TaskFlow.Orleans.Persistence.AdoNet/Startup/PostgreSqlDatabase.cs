using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using TaskFlow.Orleans.Persistence.AdoNet.Options;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

/// <summary>Connection strings and error explanations for PostgreSQL.</summary>
internal static class PostgreSqlDatabase
{
    /// <summary>The ADO.NET invariant the Orleans providers map to Npgsql.</summary>
    public const string Invariant = "Npgsql";

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    /// <summary>The connection string the silo uses: the configured one, with <c>Maximum Pool Size</c> added when it has none.</summary>
    public static string EffectiveConnectionString(TaskFlowPostgreSqlOptions options) =>
        WithPoolSize(options.ConnectionString, options.MaxPoolSize);

    /// <summary>Adds <c>Maximum Pool Size</c> to a connection string that does not set it.</summary>
    public static string WithPoolSize(string connectionString, int maxPoolSize)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (PoolSizeKeywords.Any(given.ContainsKey))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize }.ConnectionString;
    }

    /// <summary>Names the database of a connection string for messages, without its password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{b.Database ?? b.Username}' at {b.Host}:{b.Port} as user '{b.Username}'";
        }
        catch (ArgumentException)
        {
            return "the PostgreSQL database";
        }
    }

    /// <summary>Whether a failure to connect may go away by itself: the server is down, starting, full or not reachable.</summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        // 57P03 cannot_connect_now (starting up or shutting down), 53300 too_many_connections, 57P01/57P02 shutdowns.
        PostgresException p => p.SqlState is "57P03" or "53300" or "57P01" or "57P02",
        NpgsqlException n => n.InnerException is SocketException or IOException or TimeoutException || n.IsTransient,
        SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Whether a storage operation certainly did not reach the database: the connection could not be opened.</summary>
    public static bool FailedBeforeSending(Exception exception) => exception switch
    {
        PostgresException p => p.SqlState is "57P03" or "53300",
        NpgsqlException n => n.InnerException is SocketException
                             || (n.InnerException is TimeoutException && n.Message.Contains("pool", StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>Whether a read may be retried: any transient fault (a read changes nothing).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException p => p.IsTransient || p.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => false,
    };

    /// <summary>Turns a failure to connect or to run the schema into an exception that names the database and the fix.</summary>
    public static TaskFlowDatabaseException Explain(Exception exception, string connectionString, string doing)
    {
        var target = Describe(connectionString);
        var b = TryParse(connectionString);
        var message = exception switch
        {
            PostgresException { SqlState: var s } p when s.StartsWith("28", StringComparison.Ordinal) =>
                $"{target} refused the login while {doing} ({p.SqlState}: {p.MessageText}). Check Username and Password in the " +
                "connection string, and that pg_hba.conf lets this host in.",
            PostgresException { SqlState: "3D000" } p =>
                $"{target} does not exist ({p.MessageText}). Create it (CREATE DATABASE {b?.Database} OWNER {b?.Username}) or fix " +
                "Database in the connection string.",
            PostgresException { SqlState: "42501" } p =>
                $"User '{b?.Username}' may not create TaskFlow's tables while {doing} in {target} ({p.MessageText}). Apply the schema " +
                "once as the database owner with TaskFlowSchema.ApplyPostgreSqlAsync (the silo's setup command) and set " +
                "TaskFlowPostgreSqlOptions.ApplySchemaOnStart = false, or grant the user CREATE on the schema.",
            PostgresException { SqlState: "3F000" } p =>
                $"{target} has no schema to create TaskFlow's tables in ({p.MessageText}). Create the schema named by the " +
                "connection string's Search Path, or remove Search Path to use 'public'.",
            PostgresException p =>
                $"{target} failed while {doing} ({p.SqlState}: {p.MessageText}).",
            _ when IsUnreachable(exception) =>
                $"Could not reach {target} while {doing} ({exception.Message}). Check that the server is running and that Host " +
                "and Port in the connection string are right.",
            _ => $"{target} failed while {doing} ({exception.GetType().Name}: {exception.Message}).",
        };
        return new TaskFlowDatabaseException(message, exception);
    }

    private static NpgsqlConnectionStringBuilder? TryParse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
