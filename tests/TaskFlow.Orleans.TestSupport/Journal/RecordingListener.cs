using System.Collections.Concurrent;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>A silo-side listener that records every change per flow (TaskFlow's CaptureListener), for tests.</summary>
public sealed class RecordingListener : IFlowListener
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<FlowChangeContext>> Changes = new(StringComparer.Ordinal);

    /// <summary>Every change the listeners of all silos saw for a flow, in the order each saw them.</summary>
    /// <param name="flowId">The flow.</param>
    /// <returns>The changes.</returns>
    public static IReadOnlyList<FlowChangeContext> For(string flowId) =>
        Changes.TryGetValue(flowId, out var queue) ? [.. queue] : [];

    /// <inheritdoc />
    public void OnFlowStarted(FlowStartedContext started) => Changes.TryAdd(started.FlowId, new ConcurrentQueue<FlowChangeContext>());

    /// <inheritdoc />
    public void OnChange(FlowChangeContext change) => Changes.GetOrAdd(change.FlowId, _ => new ConcurrentQueue<FlowChangeContext>()).Enqueue(change);
}
