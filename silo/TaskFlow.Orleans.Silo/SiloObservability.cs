using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.OpenTelemetry;

namespace TaskFlow.Orleans.Silo;

/// <summary>
/// The silo's OpenTelemetry export and health endpoints (docs/observability.md).
/// </summary>
/// <remarks>
/// <para>Traces and metrics are exported by OTLP only when an endpoint is configured: the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>, ...) or
/// <c>Silo:Otlp:Endpoint</c> (<c>Silo__Otlp__Endpoint</c>) with <c>Silo:Otlp:Protocol</c> <c>grpc</c> (default) or
/// <c>http/protobuf</c>. Spans go through the SDK's batch processor: a bounded queue (2048 spans) drained on its own thread,
/// so a collector that is down or slow drops spans, and never slows or stops a flow.</para>
/// <para>Health: <c>/healthz/live</c> and <c>/healthz/ready</c> on the web host that serves the dashboard.</para>
/// </remarks>
internal static class SiloObservability
{
    /// <summary>Adds the OTLP exporter when an endpoint is configured.</summary>
    /// <returns>Whether telemetry is exported (the silo then also carries trace context across grain calls).</returns>
    /// <exception cref="InvalidOperationException">The endpoint or protocol is not valid; the message says how to fix it.</exception>
    public static bool AddTelemetry(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpointSetting = configuration["Silo:Otlp:Endpoint"];
        var standardEndpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpointSetting) && string.IsNullOrWhiteSpace(standardEndpoint))
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(standardEndpoint)
            && (!Uri.TryCreate(standardEndpoint, UriKind.Absolute, out var standard) || standard.Scheme is not ("http" or "https")))
        {
            // Checked here: the exporter would otherwise fail the host's start with an exception and a stack trace.
            throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_ENDPOINT is '{standardEndpoint}', which is not an http(s) URL; use e.g. http://127.0.0.1:4317 " +
                "(an OpenTelemetry collector's OTLP port), or unset it to export nothing.");
        }

        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(endpointSetting)
            && (!Uri.TryCreate(endpointSetting, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException(
                $"Silo:Otlp:Endpoint is '{endpointSetting}', which is not an http(s) URL; use e.g. Silo__Otlp__Endpoint=http://127.0.0.1:4317 " +
                "(an OpenTelemetry collector's OTLP port), or leave it empty to export nothing.");
        }

        var protocol = configuration["Silo:Otlp:Protocol"] is { Length: > 0 } name
            ? name.Trim().ToLowerInvariant() switch
            {
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
                _ => throw new InvalidOperationException(
                    $"Silo:Otlp:Protocol is '{name}'; use grpc (port 4317) or http/protobuf (port 4318)."),
            }
            : (OtlpExportProtocol?)null;

        void Configure(OtlpExporterOptions options, string signalPath)
        {
            if (protocol is { } chosen)
            {
                options.Protocol = chosen;
            }

            if (endpoint is not null)
            {
                // Set in code, an http/protobuf endpoint is used as given: the signal's path is added here, as the SDK does for
                // OTEL_EXPORTER_OTLP_ENDPOINT.
                options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
                    ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + signalPath)
                    : endpoint;
            }
        }

        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } service ? service : "taskflow-silo";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddTaskFlowInstrumentation()
                .AddOtlpExporter(options => Configure(options, "/v1/traces")))
            .WithMetrics(metrics => metrics
                .AddTaskFlowInstrumentation()
                .AddMeter("Microsoft.Orleans") // Orleans' own: grain calls, activations, messaging
                .AddOtlpExporter(options => Configure(options, "/v1/metrics")));
        return true;
    }

    /// <summary>Adds TaskFlow's health checks, with their timeout from <c>Health:Timeout</c> (default 5 s).</summary>
    public static void AddHealth(WebApplicationBuilder builder)
    {
        var timeout = builder.Configuration["Health:Timeout"];
        builder.Services.AddHealthChecks().AddTaskFlow(options =>
        {
            if (!string.IsNullOrWhiteSpace(timeout))
            {
                options.Timeout = TimeSpan.TryParse(timeout, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
                    ? value
                    : throw new InvalidOperationException($"Health:Timeout is '{timeout}'; use a positive time span such as 00:00:05.");
            }
        });
    }

    /// <summary>Maps <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (the silo is active and its store
    /// answers): 200 when healthy, 503 when not.</summary>
    public static void MapHealth(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.LiveTag),
        });
        endpoints.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(TaskFlowHealthChecksBuilderExtensions.ReadyTag),
        });
    }
}
