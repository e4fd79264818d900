using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Grains.Health;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Adds TaskFlow's health checks to a silo's health-check service.</summary>
/// <example>
/// <code>
/// builder.Services.AddHealthChecks().AddTaskFlow();
/// app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = c =&gt; c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.LiveTag) });
/// app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c =&gt; c.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.ReadyTag) });
/// </code>
/// </example>
public static class TaskFlowHealthChecksBuilderExtensions
{
    /// <summary>The tag of the liveness check.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness checks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Adds <c>taskflow-live</c> (tag <see cref="LiveTag"/>: the process answers, nothing external is asked) and the
    /// readiness checks <c>taskflow-silo</c> (this silo is ACTIVE in the cluster) and <c>taskflow-store</c> (the logbook store
    /// answers a cheap read within <see cref="TaskFlowHealthCheckOptions.Timeout"/>), both tagged <see cref="ReadyTag"/>.
    /// Calling it again only applies <paramref name="configure"/>.</summary>
    /// <param name="builder">The health checks builder of a silo's services.</param>
    /// <param name="configure">Changes the defaults (<see cref="TaskFlowHealthCheckOptions"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddTaskFlow(this IHealthChecksBuilder builder, Action<TaskFlowHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(StoreHealthCheck)))
        {
            if (configure is not null)
            {
                builder.Services.Configure(configure);
            }

            return builder; // added already: registering the checks twice would fail the health service (duplicate names)
        }

        var options = builder.Services.AddOptions<TaskFlowHealthCheckOptions>()
            .Validate(o => o.Timeout > TimeSpan.Zero, "TaskFlow health check Timeout must be positive, e.g. 00:00:05.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<LivenessHealthCheck>();
        builder.Services.AddSingleton<SiloActiveHealthCheck>();
        builder.Services.AddSingleton<StoreHealthCheck>();
        // The registrations' own timeout is a backstop a little past the store check's, which returns by itself at its timeout.
        builder.Add(new HealthCheckRegistration("taskflow-live", sp => sp.GetRequiredService<LivenessHealthCheck>(),
            HealthStatus.Unhealthy, [LiveTag]));
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<TaskFlowHealthCheckOptions>>((health, taskFlow) =>
        {
            var backstop = taskFlow.Value.Timeout + TimeSpan.FromSeconds(1);
            health.Registrations.Add(new HealthCheckRegistration("taskflow-silo", sp => sp.GetRequiredService<SiloActiveHealthCheck>(),
                HealthStatus.Unhealthy, [ReadyTag], backstop));
            health.Registrations.Add(new HealthCheckRegistration("taskflow-store", sp => sp.GetRequiredService<StoreHealthCheck>(),
                HealthStatus.Unhealthy, [ReadyTag], backstop));
        });
        return builder;
    }
}
