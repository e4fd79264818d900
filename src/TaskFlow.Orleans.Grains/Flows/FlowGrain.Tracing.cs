using System.Diagnostics;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Grains.Diagnostics;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// The run's span (<see cref="TaskFlowTracing"/>). A run outlives activations and silos, so its span is a <em>run segment</em>:
/// from the start (or a resume, after an activation or a suspend) to the outcome (SUCCESS, FAILURE, REVERTED, SUSPENDED) or
/// the end of the activation. Segments of one run share <c>taskflow.flow.id</c>; the first is the child of the caller's span
/// (Orleans' activity propagation), one resumed after a suspend the child of the resume call's; one started by a new
/// activation (after a crash or a deactivation) roots a trace of its own, as activation runs outside any caller's trace.
/// </summary>
/// <remarks>Every method here returns at once when nothing listens to the source: <see cref="_runSpan"/> stays null.</remarks>
internal sealed partial class FlowGrain
{
    private Activity? _runSpan;

    /// <summary>Starts a run segment as a child of the current activity (the incoming call's), without making it current.</summary>
    private void StartRunSpan(string flowName, string segment)
    {
        if (_runSpan is not null || !TaskFlowTracing.Source.HasListeners())
        {
            return;
        }

        var caller = Activity.Current;
        var span = TaskFlowTracing.Source.StartActivity(TaskFlowTracing.RunSpanPrefix + " " + flowName, ActivityKind.Internal);
        Activity.Current = caller; // the span lives as long as the run segment, not as long as this call
        if (span is null)
        {
            return;
        }

        span.SetTag(TaskFlowTracing.Tags.FlowId, FlowId);
        span.SetTag(TaskFlowTracing.Tags.FlowName, flowName);
        span.SetTag(TaskFlowTracing.Tags.RunSegment, segment);
        span.SetTag(TaskFlowTracing.Tags.SiloAddress, RuntimeIdentity);
        _runSpan = span;
    }

    /// <summary>Ends the run segment: at an outcome, when the activation goes away, or when a start was refused.</summary>
    private void EndRunSpan(string end, FlowState? state)
    {
        if (_runSpan is not { } span)
        {
            return;
        }

        _runSpan = null;
        span.SetTag(TaskFlowTracing.Tags.RunEnd, end);
        if (state is { } reached)
        {
            span.SetTag(TaskFlowTracing.Tags.FlowState, StateNames.Of(reached));
            if (reached is FlowState.Failure or FlowState.Reverted)
            {
                span.SetStatus(ActivityStatusCode.Error, StateNames.Of(reached));
            }
            else if (reached == FlowState.Success)
            {
                span.SetStatus(ActivityStatusCode.Ok);
            }
        }

        span.Stop();
    }

    /// <summary>Notes one engine step on the run span: the failures it resolved (retry decisions) as events, and its end when
    /// the run stopped. A step that moves a stopped run on (a resume after a suspend) opens a new segment.</summary>
    private void TraceStep(EngineStep step)
    {
        if (_runSpan is null)
        {
            if (step.Finished is not null || step.IsEmpty || _engine is null || FlowStatus.IsTerminal(_engine.State)
                || !TaskFlowTracing.Source.HasListeners())
            {
                return;
            }

            StartRunSpan(_header?.Definition.Name ?? _engine!.Flow.Name, "resume");
            if (_runSpan is null)
            {
                return;
            }
        }

        var span = _runSpan;
        if (span.IsAllDataRequested)
        {
            foreach (var resolution in step.Resolutions)
            {
                var atoms = _engine!.Flow.Atoms;
                var tags = new ActivityTagsCollection
                {
                    [TaskFlowTracing.Tags.AtomName] = resolution.AtomId >= 0 ? atoms[resolution.AtomId].Name : null,
                    [TaskFlowTracing.Tags.RetryName] = resolution.RetryId is { } retry ? atoms[retry].Name : null,
                    [TaskFlowTracing.Tags.RetryStrategy] = StrategyName(resolution.Strategy),
                    [TaskFlowTracing.Tags.RetryApplied] = resolution.Applied,
                };
                if (resolution.AtomId >= 0)
                {
                    tags[TaskFlowTracing.Tags.Attempt] = _engine.GetAttempt(resolution.AtomId);
                }

                span.AddEvent(new ActivityEvent(TaskFlowTracing.RetryDecisionEvent, tags: tags));
            }
        }

        if (step.Finished is { } finished)
        {
            EndRunSpan("outcome", finished);
        }
    }

    /// <summary>TaskFlow's name of a resolution strategy.</summary>
    private static string StrategyName(ResolutionStrategy strategy) => strategy switch
    {
        ResolutionStrategy.RevertAndRetry => "RETRY",
        ResolutionStrategy.Revert => "REVERT",
        _ => "REVERT_ALL",
    };

    /// <summary>Makes the run span current while calls are dispatched, so Orleans' activity propagation carries it to the
    /// executors, and puts its context in the request context for executors on silos where that propagation is off.
    /// Disposing restores what was there.</summary>
    private RunSpanScope EnterRunSpan()
    {
        if (_runSpan is not { } span)
        {
            return default;
        }

        var scope = new RunSpanScope(Activity.Current, RequestContext.Get(TaskFlowTracing.RunContextKey));
        Activity.Current = span;
        RequestContext.Set(TaskFlowTracing.RunContextKey, span.Id!);
        return scope;
    }

    private readonly struct RunSpanScope(Activity? previous, object? previousContext) : IDisposable
    {
        private readonly bool _entered = true;

        public void Dispose()
        {
            if (!_entered)
            {
                return;
            }

            Activity.Current = previous;
            if (previousContext is null)
            {
                RequestContext.Remove(TaskFlowTracing.RunContextKey);
            }
            else
            {
                RequestContext.Set(TaskFlowTracing.RunContextKey, previousContext);
            }
        }
    }
}
