using System.CommandLine;
using System.CommandLine.Parsing;

namespace TaskFlow.Orleans.Cli;

/// <summary>The options that say where the cluster is (on every command), checked as the command line is parsed, before
/// anything connects; and the one that only some commands take (<c>--reattach-timeout</c>).</summary>
internal sealed class ConnectionOptions
{
    public Option<string[]> Host { get; } = new("--host")
    {
        Description = "A gateway of the cluster: host, host:port or [ipv6]:port (port default: --gateway). Repeat, or separate with " +
                      "commas, for several: the client spreads over them and fails over when one dies. Default: 127.0.0.1, or TASKFLOW_HOST.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_HOST") is { Length: > 0 } hosts ? [hosts] : [],
    };

    public Option<int> Gateway { get; } = new("--gateway")
    {
        Description = "The gateway port (1 to 65535) of --host values that give none.",
        DefaultValueFactory = _ => GatewayAddress.DefaultPort,
    };

    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "The cluster id (must match the silos' Silo:ClusterId).", DefaultValueFactory = _ => "dev" };

    public Option<string> ServiceId { get; } = new("--service-id") { Description = "The service id (must match the silos' Silo:ServiceId).", DefaultValueFactory = _ => "taskflow" };

    public Option<string?> PostgreSql { get; } = new("--postgres")
    {
        // No DefaultValueFactory: help would print the variable's value, password and all.
        Description = "Find the cluster's gateways in PostgreSQL (a connection string), for silos clustered there; instead of --host. " +
                      "Default: TASKFLOW_POSTGRES_CLUSTER.",
    };

    public Option<string?> TlsCertificate { get; } = new("--tls-cert")
    {
        Description = "This client's certificate for a cluster with TLS on: a .pfx (password in TASKFLOW_TLS_PASSWORD) or a PEM file with --tls-key.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_CERT"),
    };

    public Option<string?> TlsKey { get; } = new("--tls-key")
    {
        Description = "The PEM private key of --tls-cert (password, if encrypted, in TASKFLOW_TLS_PASSWORD).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_KEY"),
    };

    public Option<string?> TlsCa { get; } = new("--tls-ca")
    {
        Description = "The PEM file of the cluster's CA: TLS is on when it is given, and only gateways with a certificate of this CA are trusted.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TASKFLOW_TLS_CA"),
    };

    public Option<int> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "Seconds to try to reach the cluster before giving up (1 or more).",
        DefaultValueFactory = _ => 20,
    };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "On an error, print its details (exception and stack trace) too; or set TASKFLOW_DEBUG=1." };

    /// <summary>Only on <c>run</c> and <c>watch</c>, the commands that follow a run.</summary>
    public Option<int> ReattachTimeout { get; } = new("--reattach-timeout")
    {
        Description = "Seconds to keep trying to re-attach to the run when contact with its silo is lost, before giving up (exit code 3; the run goes on).",
        DefaultValueFactory = _ => 60,
    };

    public ConnectionOptions()
    {
        Host.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
            {
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (GatewayAddress.Problem(part, GatewayAddress.DefaultPort, out _) is { } problem)
                    {
                        result.AddError(problem);
                        return;
                    }
                }
            }
        });
        Gateway.Validators.Add(result => Positive(result, "--gateway", max: 65535, "the gateway port of the silos (Silo:GatewayPort), e.g. --gateway 30000"));
        ConnectTimeout.Validators.Add(result => Positive(result, "--connect-timeout", max: 3600, "seconds, e.g. --connect-timeout 20"));
        ReattachTimeout.Validators.Add(result => Positive(result, "--reattach-timeout", max: 86400, "seconds, e.g. --reattach-timeout 60"));
        ClusterId.Validators.Add(result => NotBlank(result, "--cluster-id"));
        ServiceId.Validators.Add(result => NotBlank(result, "--service-id"));
    }

    /// <summary>The options every command takes, as recursive options of the root.</summary>
    public IEnumerable<Option> Global => [Host, Gateway, ClusterId, ServiceId, PostgreSql, TlsCertificate, TlsKey, TlsCa, ConnectTimeout, Verbose];

    /// <summary>Where the cluster is, from a parsed command line.</summary>
    /// <param name="result">The parsed command line.</param>
    public ConnectionSettings Settings(ParseResult result)
    {
        var hostGiven = result.GetResult(Host) is { Implicit: false };
        var postgreSqlGiven = result.GetResult(PostgreSql) is { Implicit: false };
        var postgreSql = postgreSqlGiven ? result.GetValue(PostgreSql) : Environment.GetEnvironmentVariable("TASKFLOW_POSTGRES_CLUSTER");
        if (hostGiven && postgreSqlGiven && !string.IsNullOrEmpty(postgreSql))
        {
            throw CliException.BadInput("--host and --postgres both say where the cluster is; give one of them.");
        }

        var port = result.GetValue(Gateway);
        return new ConnectionSettings(
            GatewayAddress.ParseAll(result.GetValue(Host) ?? [], port),
            result.GetValue(ClusterId)!,
            result.GetValue(ServiceId)!,
            // A --host on the command line wins over a PostgreSQL cluster named only by the environment.
            hostGiven ? null : postgreSql)
        {
            Tls = ClusterSession.TlsFrom(result.GetValue(TlsCertificate), result.GetValue(TlsKey), result.GetValue(TlsCa)),
            ConnectTimeout = TimeSpan.FromSeconds(result.GetValue(ConnectTimeout)),
        };
    }

    /// <summary>Whether the command line (or TASKFLOW_DEBUG) asks for the details of errors.</summary>
    public bool IsVerbose(ParseResult result) => ErrorReport.DebugFromEnvironment || (result.GetResult(Verbose) is not null && result.GetValue(Verbose));

    private static void Positive(OptionResult result, string name, int max, string example) => InRange(result, name, 1, max, example);

    /// <summary>Adds an error when the option's value (given on the command line) is an integer outside min..max; a value
    /// that is no integer at all gets System.CommandLine's own error.</summary>
    public static void InRange(OptionResult result, string name, int min, int max, string example)
    {
        if (result.Tokens is [.., var last] && int.TryParse(last.Value, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && (value < min || value > max))
        {
            result.AddError($"{name} {value} is out of range: give {min} to {max} ({example}).");
        }
    }

    private static void NotBlank(OptionResult result, string name)
    {
        if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
        {
            result.AddError($"{name} is empty; give the id the silos use (e.g. {name} dev).");
        }
    }
}
