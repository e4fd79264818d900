using Npgsql;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// Three silo processes on 127.0.0.2, .3 and .4, clustered through PostgreSQL with TLS and mutual authentication on: a client
/// with a certificate of the cluster's CA runs flows across them; a client without a certificate and one whose certificate
/// comes from another CA are refused, within the bounded connect time, with a message and no stack trace.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "PostgreSql")]
[Trait("Category", "EndToEnd")]
public sealed partial class TlsClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task ClientsWithoutACertificateOfTheClustersCa_AreRefused_WhileOneWithItRunsFlowsAcrossTheSilos()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "tls");
        await cluster.StartSilosAsync(3);
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4"], cluster.Silos.Select(s => s.Address.ToString()));

        var certificates = TestCertificates.Instance;
        var plain = cluster.StartCliWithTls([], "list", "--connect-timeout", "8");
        var rogue = cluster.StartCliWithTls(
            ["--tls-cert", certificates.RogueClientCertificate, "--tls-key", certificates.RogueClientKey, "--tls-ca", certificates.RogueClientCa],
            "list", "--connect-timeout", "8");
        // The client finds the gateways with a login that may only read the membership (docs/security.md has the grants).
        var reader = await CreateMembershipReaderAsync(connectionString);
        var trusted = cluster.StartCliAs(reader, certificates.ClientArguments(), SiloCluster.StressArguments("tls", 30, slowMs: 1));

        foreach (var refused in new[] { plain, rogue })
        {
            Assert.NotEqual(0, await refused.WaitForExitAsync(CliTimeout, "being refused"));
            var text = refused.Text();
            Assert.Contains("Could not connect to the cluster's gateways listed in PostgreSQL", text, StringComparison.Ordinal);
            Assert.Contains("the certificate comes from the cluster's CA", text, StringComparison.Ordinal);
            Assert.DoesNotContain(refused.Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }

        Assert.Equal(0, await trusted.WaitForExitAsync(CliTimeout, "30 runs over TLS"));
        StressAssert.AllSucceeded(SiloCluster.ReadSummary(trusted), 30, "over TLS");
        var silosThatRan = cluster.ReadJournal().Entries.Where(e => e.Flow.StartsWith("tls-", StringComparison.Ordinal)).Select(e => e.Silo).Distinct().Count();
        Assert.True(silosThatRan >= 2, $"The runs' tasks ran on {silosThatRan} silo(s); executors should spread over the cluster.");
    }

    /// <summary>A login that can read the cluster membership and nothing else, as docs/security.md grants it.</summary>
    /// <returns>Its connection string.</returns>
    private static async Task<string> CreateMembershipReaderAsync(string connectionString)
    {
        const string role = "taskflow_e2e_reader";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
             DO $$ BEGIN
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN PASSWORD 'reader'; END IF;
             END $$;
             GRANT SELECT ON orleansquery, taskflow_membership, taskflow_membership_version TO {role};
             """, connection);
        await command.ExecuteNonQueryAsync();
        await using var check = new NpgsqlCommand($"SELECT has_table_privilege('{role}', 'taskflow_runs', 'SELECT')", connection);
        Assert.False((bool)(await check.ExecuteScalarAsync())!, "The reader must not be able to read runs.");
        return new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = "reader" }.ConnectionString;
    }


}
