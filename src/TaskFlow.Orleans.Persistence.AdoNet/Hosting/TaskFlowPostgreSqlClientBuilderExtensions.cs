using Npgsql;
using Orleans.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;

namespace TaskFlow.Orleans.Persistence.AdoNet.Hosting;

/// <summary>Lets an Orleans client find the gateways of a TaskFlow cluster that uses PostgreSQL clustering.</summary>
public static class TaskFlowPostgreSqlClientBuilderExtensions
{
    /// <summary>Makes the client read the cluster's gateways from PostgreSQL (Orleans ADO.NET clustering, TaskFlow's schema).</summary>
    /// <remarks>The client's <c>ClusterOptions.ClusterId</c> and <c>ServiceId</c> must equal the silos'; otherwise the gateway
    /// drops the connection while the client starts. The silos apply the schema; the client only reads it.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="connectionString">The Npgsql connection string of the silos' database.</param>
    /// <param name="maxPoolSize">The connection pool size, used when the connection string does not set <c>Maximum Pool Size</c>.</param>
    /// <returns>The client builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public static IClientBuilder UseTaskFlowPostgreSqlClustering(this IClientBuilder builder, string connectionString, int maxPoolSize = 10)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"The connection string is not a valid Npgsql connection string ({exception.Message}); write it as " +
                                        $"Key=Value pairs separated by ';', e.g. \"{TaskFlowPostgreSqlOptionsValidator.Example}\".", nameof(connectionString), exception);
        }

        var effective = PostgreSqlDatabase.WithPoolSize(connectionString, maxPoolSize);
        return builder.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgreSqlDatabase.Invariant;
            o.ConnectionString = effective;
        });
    }
}
