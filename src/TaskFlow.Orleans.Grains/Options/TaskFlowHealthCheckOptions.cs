namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Settings of TaskFlow's health checks (<c>AddHealthChecks().AddTaskFlow()</c>).</summary>
public sealed class TaskFlowHealthCheckOptions
{
    /// <summary>How long one readiness check may take: a store that has not answered by then is reported unhealthy, and the
    /// check returns, whether or not the store's call ever ends.</summary>
    /// <value>Default 5 seconds. Must be positive.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
