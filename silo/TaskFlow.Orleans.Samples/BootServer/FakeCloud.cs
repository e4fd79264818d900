using System.Collections.Concurrent;

namespace TaskFlow.Orleans.Samples.BootServer;

/// <summary>An in-memory stand-in for a cloud API, so the sample runs anywhere; idempotent by execution id.</summary>
public sealed class FakeCloud
{
    /// <summary>How long each simulated API call takes, so transitions can be watched.</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(150);

    private readonly ConcurrentDictionary<string, string> _leases = new();
    private readonly ConcurrentDictionary<string, int> _volumes = new();
    private int _next;

    /// <summary>Images that exist.</summary>
    public static IReadOnlySet<string> Images { get; } = new HashSet<string> { "ubuntu-24.04", "debian-13" };

    /// <summary>Leases an address; the same execution id gets the same address.</summary>
    public string LeaseIp(string network, string executionId) =>
        _leases.GetOrAdd(executionId, _ => $"10.{network.Length % 250}.0.{Interlocked.Increment(ref _next) % 250 + 2}");

    /// <summary>Releases a leased address.</summary>
    public void ReleaseIp(string ip)
    {
        foreach (var pair in _leases.Where(p => p.Value == ip))
        {
            _leases.TryRemove(pair.Key, out _);
        }
    }

    /// <summary>Creates a volume; the same execution id gets the same volume.</summary>
    public string CreateVolume(int sizeGb, string executionId)
    {
        var id = $"vol-{Math.Abs(executionId.GetHashCode()) % 100000:D5}";
        _volumes[id] = sizeGb;
        return id;
    }

    /// <summary>Deletes a volume.</summary>
    public void DeleteVolume(string id) => _volumes.TryRemove(id, out _);

    /// <summary>Boots a VM.</summary>
    public string Boot(string image, string ip, string[] volumes)
    {
        if (!Images.Contains(image))
        {
            throw new InvalidOperationException($"Image '{image}' does not exist; known images: {string.Join(", ", Images)}.");
        }

        return $"vm-{ip.Replace('.', '-')}-{volumes.Length}";
    }
}
