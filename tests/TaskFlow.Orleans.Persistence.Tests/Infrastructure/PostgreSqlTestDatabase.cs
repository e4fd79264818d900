using Npgsql;

namespace TaskFlow.Orleans.Persistence.Tests.Infrastructure;

/// <summary>The PostgreSQL server the tests use, named by <c>TASKFLOW_POSTGRES</c>; each fixture gets a schema of its own.</summary>
/// <remarks>
/// Without the variable, PostgreSQL tests skip with a message, so <c>dotnet test</c> works on a machine without a server.
/// With <c>CI=true</c> they fail instead: CI starts a server, and a PostgreSQL test that cannot reach it must not pass
/// silently. With the variable set, an unreachable server fails the tests everywhere.
/// </remarks>
public static class PostgreSqlTestDatabase
{
    public const string EnvironmentVariable = "TASKFLOW_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the calling test when no server is configured, or fails it under CI.</summary>
    public static string Require()
    {
        if (ConnectionString is { } connectionString)
        {
            return connectionString;
        }

        const string message = $"PostgreSQL tests need a server: set {EnvironmentVariable} to an Npgsql connection string, e.g. " +
                               "\"Host=127.0.0.1;Port=5433;Database=taskflow;Username=taskflow;Password=taskflow\" (.ci/run starts one).";
        if (IsCi)
        {
            Assert.Fail($"CI=true but {EnvironmentVariable} is not set. {message}");
        }

        Skip.If(true, message);
        return null!;
    }

    /// <summary>Creates an empty schema and returns a connection string whose search path is it, so fixtures cannot collide.</summary>
    public static async Task<string> CreateSchemaAsync(string connectionString, string prefix)
    {
        var schema = $"tf_{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 36)];
        await ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>Drops the schema a connection string from <see cref="CreateSchemaAsync"/> points at.</summary>
    public static async Task DropSchemaAsync(string schemaConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(schemaConnectionString);
        var schema = builder.SearchPath;
        builder.SearchPath = null;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(builder.ConnectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<object?[]>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row.Select(v => v is DBNull ? null : v).ToArray());
        }

        return rows;
    }
}
