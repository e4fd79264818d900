using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Orleans.Grains.Health;

/// <summary>Liveness: the process answers. Depends on nothing external, so a database or cluster outage never gets a silo
/// restarted by its orchestrator (that is what readiness is for).</summary>
internal sealed class LivenessHealthCheck : IHealthCheck
{
    private static readonly Task<HealthCheckResult> Live = Task.FromResult(HealthCheckResult.Healthy("The silo process answers."));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Live;
}
