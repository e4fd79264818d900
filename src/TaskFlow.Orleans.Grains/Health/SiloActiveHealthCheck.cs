using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Orleans.Grains.Health;

/// <summary>Readiness, part one: this silo is ACTIVE in the cluster's membership (not joining, shutting down or declared dead).
/// Reads the membership snapshot the silo already holds: no call, so it cannot block.</summary>
internal sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {silo.SiloAddress} is active in cluster '{silo.ClusterId}'.")
            : HealthCheckResult.Unhealthy($"Silo {silo.SiloAddress} is {status} in cluster '{silo.ClusterId}', not Active: it takes no work yet (or any more)."));
    }
}
