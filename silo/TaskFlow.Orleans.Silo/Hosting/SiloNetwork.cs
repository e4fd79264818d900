using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TaskFlow.Orleans.Silo.Hosting;

/// <summary>Where a silo listens and what it advertises, worked out from <see cref="SiloSettings"/> with a clear error for each
/// address that cannot be used.</summary>
internal static class SiloNetwork
{
    /// <summary>The address the silo and gateway ports listen on.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The listen address.</returns>
    /// <exception cref="InvalidOperationException">The address is not an IP address, or not one of this machine's.</exception>
    public static IPAddress ListenAddress(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.ListenAddress))
        {
            return settings.Clustering == ClusteringKind.Localhost ? IPAddress.Loopback : IPAddress.Any;
        }

        if (!IPAddress.TryParse(settings.ListenAddress.Trim(), out var address))
        {
            throw new InvalidOperationException(
                $"Silo:ListenAddress is '{settings.ListenAddress}', which is not an IP address; use one of this machine's addresses " +
                "(e.g. Silo__ListenAddress=10.0.0.5) or 0.0.0.0 for every interface.");
        }

        if (!IsLocal(address))
        {
            throw new InvalidOperationException(
                $"Silo:ListenAddress is {address}, which is not an address of this machine ({string.Join(", ", LocalAddresses())}); " +
                "use one of those, or 0.0.0.0 for every interface.");
        }

        return address;
    }

    /// <summary>The address written into the membership table for other silos and clients, or <see langword="null"/> to let
    /// Orleans pick this machine's first non-loopback address.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The advertised address, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOperationException">The host name does not resolve, or the address cannot be reached by anyone.</exception>
    public static IPAddress? AdvertisedAddress(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var listen = ListenAddress(settings);
        if (string.IsNullOrWhiteSpace(settings.AdvertisedAddress))
        {
            if (settings.Clustering == ClusteringKind.Localhost)
            {
                return IPAddress.Loopback;
            }

            return listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any) ? null : listen;
        }

        var text = settings.AdvertisedAddress.Trim();
        if (!IPAddress.TryParse(text, out var advertised))
        {
            IPAddress[] resolved;
            try
            {
                resolved = Dns.GetHostAddresses(text);
            }
            catch (SocketException exception)
            {
                throw new InvalidOperationException(
                    $"Silo:AdvertisedAddress is the host name '{text}', which does not resolve ({exception.Message}); " +
                    "use a name this machine's resolver knows, or an IP address (Silo__AdvertisedAddress=10.0.0.5).", exception);
            }

            advertised = resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
                         ?? throw new InvalidOperationException($"Silo:AdvertisedAddress '{text}' resolves to no address; use an IP address.");
        }

        if (advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any))
        {
            throw new InvalidOperationException(
                $"Silo:AdvertisedAddress is {advertised}, which no one can connect to; advertise the address other machines reach " +
                "this silo at (e.g. Silo__AdvertisedAddress=10.0.0.5), or leave it unset.");
        }

        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any) && !listen.Equals(advertised))
        {
            throw new InvalidOperationException(
                $"Silo:AdvertisedAddress is {advertised} but the silo listens on {listen} only; other silos would connect to an address " +
                "nothing listens on. Listen on every interface (Silo__ListenAddress=0.0.0.0) or advertise the listen address.");
        }

        return advertised;
    }

    /// <summary>Checks that the silo and gateway ports are free on the listen address, so that a taken port is one clear line
    /// rather than a silo that joins the cluster and fails.</summary>
    /// <param name="settings">The settings.</param>
    /// <exception cref="InvalidOperationException">A port is in use; the message names the port and the fix.</exception>
    public static void EnsurePortsFree(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var listen = ListenAddress(settings);
        foreach (var (name, port) in new[] { ("SiloPort", settings.SiloPort), ("GatewayPort", settings.GatewayPort) })
        {
            if (!IsFree(listen, port))
            {
                throw new InvalidOperationException(
                    $"Silo:{name} {port} is already in use on {listen} ({PortOwner.Describe(port) ?? "another process"} listens there). " +
                    $"Give this silo ports of its own, e.g. Silo__SiloPort={settings.SiloPort + 1} Silo__GatewayPort={settings.GatewayPort + 1}.");
            }
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool IsLocal(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(address) ||
        LocalAddresses().Contains(address);

    private static IEnumerable<IPAddress> LocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address);
}
