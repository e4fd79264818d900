using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TaskFlow.Orleans.Cli;

/// <summary>A gateway of the cluster as given on the command line: a host name or IP address and a port.</summary>
internal sealed record GatewayAddress(string Host, int Port)
{
    /// <summary>The gateway port when none is given: Orleans' default.</summary>
    public const int DefaultPort = 30000;

    /// <summary>Whether the host is this machine (where the tool may start a silo of its own).</summary>
    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip);

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads <c>--host</c> values (each <c>host</c>, <c>host:port</c>, <c>[ipv6]:port</c>, or several separated by
    /// commas); a host without a port gets <paramref name="defaultPort"/>.</summary>
    /// <exception cref="CliException">A value is not a host or has a bad port; the message names it and the forms.</exception>
    public static IReadOnlyList<GatewayAddress> ParseAll(IEnumerable<string> values, int defaultPort)
    {
        var gateways = new List<GatewayAddress>();
        foreach (var part in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)))
        {
            if (Problem(part, defaultPort, out var gateway) is { } problem)
            {
                throw CliException.BadInput(problem);
            }

            gateways.Add(gateway!);
        }

        return gateways.Count == 0 ? [new GatewayAddress("127.0.0.1", defaultPort)] : gateways.Distinct().ToList();
    }

    /// <summary>What is wrong with one <c>--host</c> value, or <see langword="null"/> with the gateway it names.</summary>
    public static string? Problem(string text, int defaultPort, out GatewayAddress? gateway)
    {
        gateway = null;
        const string Forms = "use a host name or address with an optional port: --host silo-1, --host 10.0.0.5:30000, --host [::1]:30000";
        if (string.IsNullOrWhiteSpace(text))
        {
            return $"--host is empty; {Forms}.";
        }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return $"--host '{text}' is not a host; {Forms}.";
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            host = text[..text.IndexOf(':', StringComparison.Ordinal)];
            port = text[(host.Length + 1)..];
        }
        else
        {
            host = text; // a name, an IPv4 address, or a bare IPv6 address
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '[' or ']' or '@')
            || (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)))
        {
            return $"--host '{text}' is not a host; {Forms}.";
        }

        var number = defaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || PortProblem(number) is not null))
        {
            return $"--host '{text}': the port '{port}' is not a port number from 1 to 65535.";
        }

        gateway = new GatewayAddress(host, number);
        return null;
    }

    /// <summary>What is wrong with a port number, or <see langword="null"/>.</summary>
    public static string? PortProblem(int port) => port is < 1 or > 65535 ? $"{port} is not a port number from 1 to 65535" : null;

    /// <summary>The gateway's IP endpoint (the first address of a name, IPv4 first).</summary>
    /// <exception cref="CliException">The name does not resolve (<see cref="ExitCodes.ClusterUnavailable"/>).</exception>
    public async Task<IPEndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out var address))
        {
            return new IPEndPoint(address, Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
            var chosen = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
            return new IPEndPoint(chosen, Port);
        }
        catch (SocketException exception)
        {
            throw new CliException(ExitCodes.ClusterUnavailable,
                $"Cannot resolve the gateway host '{Host}' ({exception.Message}). Check the name given with --host, or give its IP address.", exception);
        }
    }
}
