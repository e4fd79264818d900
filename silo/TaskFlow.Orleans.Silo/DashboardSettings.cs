namespace TaskFlow.Orleans.Silo;

/// <summary>
/// The silo's web dashboard, read from the <c>Dashboard</c> section (appsettings.json, <c>Dashboard__*</c> environment variables or
/// <c>--Dashboard:*</c> arguments).
/// </summary>
internal sealed class DashboardSettings
{
    /// <summary>Whether the silo serves the TaskFlow dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Kestrel listens. Loopback by default: the dashboard answers only local requests until an authorization
    /// policy is configured, and a silo should not open a port to the network unasked.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The dashboard's path.</summary>
    public string Path { get; set; } = "/taskflow";

    /// <summary>Whether every action (suspend, resume, cancel, re-run, purge) is switched off.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether Orleans' own dashboard (grains, silos, counters) is mounted beside it at <c>/orleans</c>. Off by default:
    /// its grain profiler costs throughput.</summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>Checks the settings, naming every problem and its fix.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException(
                    $"Dashboard:Urls has '{url}', which is not an http(s) URL; use e.g. Dashboard__Urls=http://127.0.0.1:8080, " +
                    "or Dashboard__Enabled=false to serve no dashboard.");
            }
        }

        foreach (var uri in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)))
        {
            // Checked before the silo starts, so that a taken port is one clear line, not a silo that joins and leaves again.
            if (uri.Port > 0 && System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !IsFree(address, uri.Port))
            {
                throw new InvalidOperationException(
                    $"Dashboard:Urls has {uri}, but port {uri.Port} is already in use on {address} " +
                    $"({Hosting.PortOwner.Describe(uri.Port) ?? "another process"} listens there). Give each silo on one machine its own " +
                    $"port (e.g. Dashboard__Urls=http://127.0.0.1:{uri.Port + 1}) or set Dashboard__Enabled=false.");
            }
        }

        if (!Path.StartsWith('/') || Path.Length < 2)
        {
            throw new InvalidOperationException($"Dashboard:Path is '{Path}'; use a path such as /taskflow.");
        }
    }

    private static bool IsFree(System.Net.IPAddress address, int port)
    {
        var listener = new System.Net.Sockets.TcpListener(address, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
