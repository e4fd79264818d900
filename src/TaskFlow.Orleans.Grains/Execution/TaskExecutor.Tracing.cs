using System.Diagnostics;
using System.Globalization;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Grains.Diagnostics;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>The span of one execute or revert, where the task runs: a child of the run span, whose context arrives with the
/// call (Orleans' activity propagation, or the run's <c>traceparent</c> in the request context where that is off).</summary>
internal sealed partial class TaskExecutor
{
    /// <summary>Starts the span of a call, or returns <see langword="null"/> at once when nothing listens.</summary>
    private static Activity? StartAtomSpan(bool isRevert, string flowId, string atomName, string taskName, string executionId)
    {
        if (!TaskFlowTracing.Source.HasListeners())
        {
            return null;
        }

        var name = (isRevert ? TaskFlowTracing.RevertSpanPrefix : TaskFlowTracing.ExecuteSpanPrefix) + " " + atomName;
        var span = Activity.Current is null && RequestContext.Get(TaskFlowTracing.RunContextKey) is string runContext
                   && ActivityContext.TryParse(runContext, null, isRemote: true, out var parent)
            ? TaskFlowTracing.Source.StartActivity(name, ActivityKind.Internal, parent)
            : TaskFlowTracing.Source.StartActivity(name, ActivityKind.Internal);
        if (span is null)
        {
            return null;
        }

        span.SetTag(TaskFlowTracing.Tags.FlowId, flowId);
        span.SetTag(TaskFlowTracing.Tags.AtomName, atomName);
        span.SetTag(TaskFlowTracing.Tags.TaskName, taskName);
        span.SetTag(TaskFlowTracing.Tags.ExecutionId, executionId);
        if (AttemptOf(executionId) is { } attempt)
        {
            span.SetTag(TaskFlowTracing.Tags.Attempt, attempt);
        }

        return span;
    }

    /// <summary>Ends a call's span with the state its atom reaches and, for a failure, the exception type (never the message).</summary>
    private static ExecutionResult EndAtomSpan(Activity? span, bool isRevert, ExecutionResult result)
    {
        if (span is null)
        {
            return result;
        }

        span.SetTag(TaskFlowTracing.Tags.AtomState, (isRevert, result.IsSuccess) switch
        {
            (false, true) => "SUCCESS",
            (false, false) => "FAILURE",
            (true, true) => "REVERTED",
            (true, false) => "REVERT_FAILURE",
        });
        if (result.Failure is { } failure)
        {
            TaskFlowTracing.SetFailure(span, failure);
        }
        else
        {
            span.SetStatus(ActivityStatusCode.Ok);
        }

        span.Stop();
        return result;
    }

    /// <summary>The attempt number an execution id ends with (<c>{run}/{atom}/{attempt}</c>, see <c>FlowEngine.GetExecutionId</c>).</summary>
    private static int? AttemptOf(string executionId)
    {
        var slash = executionId.LastIndexOf('/');
        return slash >= 0 && int.TryParse(executionId.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            ? attempt
            : null;
    }
}
