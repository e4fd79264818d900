namespace TaskFlow.Orleans.Authoring;

/// <summary>Where a task call runs: its flow, atom and the execution id to make side effects idempotent.</summary>
public sealed record TaskContext
{
    /// <summary>A context for a task used outside a flow (e.g. in a unit test).</summary>
    public static TaskContext Empty { get; } = new() { FlowId = "", AtomName = "", ExecutionId = "" };

    /// <summary>The id of the flow run.</summary>
    public required string FlowId { get; init; }

    /// <summary>The atom's name in the flow.</summary>
    public required string AtomName { get; init; }

    /// <summary>
    /// Stable across re-dispatches of the same attempt (after a crash the same id is sent again), different
    /// for each retry attempt. Use it as an idempotency key.
    /// </summary>
    public required string ExecutionId { get; init; }

    /// <summary>Where progress reports go; set by the executor.</summary>
    internal Action<double, string?>? ProgressSink { get; init; }

    /// <summary>
    /// Reports how far the task is, from 0 to 1 (values outside are clamped, as TaskFlow's <c>update_progress</c> does), with
    /// optional details. The engine stores it, shows it in snapshots and publishes it to watchers. It is sent without
    /// waiting, so it is cheap to call often.
    /// </summary>
    /// <param name="progress">How far, from 0 to 1.</param>
    /// <param name="details">What is happening, e.g. "copied 3 of 8 GB".</param>
    public void ReportProgress(double progress, string? details = null)
    {
        if (double.IsNaN(progress))
        {
            throw new ArgumentOutOfRangeException(nameof(progress), "Progress must be a number from 0 to 1.");
        }

        ProgressSink?.Invoke(Math.Clamp(progress, 0, 1), details);
    }
}
