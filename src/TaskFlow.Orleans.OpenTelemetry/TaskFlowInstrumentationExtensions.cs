using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TaskFlow.Orleans.OpenTelemetry;

/// <summary>Registers TaskFlow.Orleans' traces and metrics with OpenTelemetry.</summary>
/// <example>
/// <code>
/// builder.Services.AddOpenTelemetry()
///     .WithTracing(tracing =&gt; tracing.AddTaskFlowInstrumentation().AddOtlpExporter())
///     .WithMetrics(metrics =&gt; metrics.AddTaskFlowInstrumentation().AddOtlpExporter());
/// siloBuilder.AddActivityPropagation(); // and clientBuilder.AddActivityPropagation() on clients
/// </code>
/// </example>
public static class TaskFlowInstrumentationExtensions
{
    /// <summary>The name of TaskFlow's activity source and meter.</summary>
    public const string SourceName = "TaskFlow.Orleans";

    /// <summary>The activity source of Orleans' application grain calls, which carries trace context from call to call.</summary>
    public const string OrleansApplicationSourceName = "Microsoft.Orleans.Application";

    /// <summary>Records TaskFlow's spans (a span per run segment, a child per execute and revert, retry decisions as events)
    /// and, by default, Orleans' application grain-call spans that carry the context between client, engine and executors.</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <param name="configure">Changes the defaults (<see cref="TaskFlowInstrumentationOptions"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static TracerProviderBuilder AddTaskFlowInstrumentation(this TracerProviderBuilder builder,
        Action<TaskFlowInstrumentationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new TaskFlowInstrumentationOptions();
        configure?.Invoke(options);
        builder.AddSource(SourceName);
        if (options.IncludeGrainCalls)
        {
            builder.AddSource(OrleansApplicationSourceName);
        }

        return builder;
    }

    /// <summary>Collects TaskFlow's metrics (the <c>TaskFlow.Orleans</c> meter; its instruments are listed in
    /// docs/observability.md).</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static MeterProviderBuilder AddTaskFlowInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(SourceName);
    }
}
