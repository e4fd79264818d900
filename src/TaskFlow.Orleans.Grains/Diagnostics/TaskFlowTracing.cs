using System.Diagnostics;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Diagnostics;

/// <summary>
/// The engine's traces, on the <c>TaskFlow.Orleans</c> activity source: a span per run segment, a child span per atom execute
/// and revert, and retry decisions as events of the run span. Collect them with OpenTelemetry
/// (<c>AddSource("TaskFlow.Orleans")</c>, or <c>AddTaskFlowInstrumentation()</c> of TaskFlow.Orleans.OpenTelemetry) or an
/// <see cref="ActivityListener"/>.
/// </summary>
/// <remarks>
/// <para>Spans carry names, ids, states and exception type names only: never inputs, results, arguments or failure messages,
/// so a masked value (<c>TaskFlow:MaskedKeys</c>) cannot reach a trace. Every attribute is listed in docs/observability.md.</para>
/// <para>When nothing listens, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns <see langword="null"/>
/// and the engine does no tracing work at all.</para>
/// </remarks>
public static class TaskFlowTracing
{
    /// <summary>The activity source's name (the same as the meter's, <see cref="TaskFlowMetrics.MeterName"/>).</summary>
    public const string ActivitySourceName = "TaskFlow.Orleans";

    /// <summary>The span name of a run segment (followed by a space and the flow's name).</summary>
    public const string RunSpanPrefix = "taskflow.run";

    /// <summary>The span name of an execute (followed by a space and the atom's name).</summary>
    public const string ExecuteSpanPrefix = "taskflow.execute";

    /// <summary>The span name of a revert (followed by a space and the atom's name).</summary>
    public const string RevertSpanPrefix = "taskflow.revert";

    /// <summary>The name of the run span's event for each failure the engine resolved (a retry decision).</summary>
    public const string RetryDecisionEvent = "taskflow.retry.decision";

    /// <summary>The request-context key that carries the run span's W3C <c>traceparent</c> to executors, so an atom span is the
    /// run span's descendant even where Orleans' own activity propagation is off or unobserved.</summary>
    internal const string RunContextKey = "taskflow.traceparent";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(TaskFlowTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Attribute names.</summary>
    internal static class Tags
    {
        public const string FlowId = "taskflow.flow.id";
        public const string FlowName = "taskflow.flow.name";
        public const string FlowState = "taskflow.flow.state";
        public const string RunSegment = "taskflow.run.segment";
        public const string RunEnd = "taskflow.run.end";
        public const string AtomName = "taskflow.atom.name";
        public const string TaskName = "taskflow.task.name";
        public const string Attempt = "taskflow.atom.attempt";
        public const string ExecutionId = "taskflow.execution.id";
        public const string AtomState = "taskflow.atom.state";
        public const string FailureType = "taskflow.failure.type";
        public const string RetryName = "taskflow.retry.name";
        public const string RetryStrategy = "taskflow.retry.strategy";
        public const string RetryApplied = "taskflow.retry.applied";
        public const string SiloAddress = "taskflow.silo";
    }

    /// <summary>Records a failure on a span: its first exception type as an attribute and the error status, with the type
    /// (never the message, which may quote a value) as the status description.</summary>
    internal static void SetFailure(Activity activity, Failure failure)
    {
        activity.SetTag(Tags.FailureType, failure.ExceptionTypeName);
        activity.SetStatus(ActivityStatusCode.Error, failure.ExceptionTypeName);
    }
}
