using System.Globalization;

namespace TaskFlow.Orleans.Silo.Hosting;

/// <summary>Which process listens on a TCP port, for messages about a port in use (Linux: <c>/proc</c>; elsewhere unknown).</summary>
internal static class PortOwner
{
    /// <summary>Describes the process that listens on <paramref name="port"/>, e.g. <c>process 4242 (dotnet TaskFlow.Orleans.Silo.dll)</c>.</summary>
    /// <param name="port">The port.</param>
    /// <returns>The description, or <see langword="null"/> when it cannot be found (another user's process, not Linux).</returns>
    public static string? Describe(int port)
    {
        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
            {
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[3] == "0A" &&
                        int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                    {
                        inodes.Add($"socket:[{fields[9]}]");
                    }
                }
            }

            if (inodes.Count == 0)
            {
                return null;
            }

            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                try
                {
                    if (Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd"))
                        .Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                    {
                        var command = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ').Trim();
                        return $"process {Path.GetFileName(process)} ({(command.Length > 120 ? command[..120] + "…" : command)})";
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // A process that ended, or one we may not look into.
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            // No /proc here: the message says "another process" instead.
        }

        return null;
    }
}
