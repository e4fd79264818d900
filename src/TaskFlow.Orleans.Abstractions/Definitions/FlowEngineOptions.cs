namespace TaskFlow.Orleans.Definitions;

/// <summary>Engine options carried with a flow definition (TaskFlow's engine <c>options</c>).</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowEngineOptions")]
public sealed record FlowEngineOptions
{
    /// <summary>The defaults: TaskFlow's.</summary>
    public static FlowEngineOptions Default { get; } = new();

    /// <summary>
    /// Whether a REVERT decision always defers to the parent retry, and with no parent retry reverts the whole flow
    /// (TaskFlow's <c>defer_reverts</c>). When false, a parent retry is followed only if it decides something other than REVERT;
    /// otherwise just the subflow is reverted.
    /// </summary>
    /// <value><see langword="false"/>.</value>
    [Id(0)] public bool DeferReverts { get; init; }

    /// <summary>
    /// At most this many of the run's tasks execute or revert at once, on whichever silos they run (TaskFlow's parallel
    /// engine <c>max_workers</c>). Atoms ready beyond it stay PENDING (or SUCCESS/FAILURE, for a revert) until one finishes,
    /// then start in the order they became ready. Retry controllers, which run in the engine, do not count.
    /// </summary>
    /// <value><see langword="null"/>: no bound. Must be at least 1; the flow is refused when compiled otherwise.</value>
    [Id(1)] public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Whether a failure is left unresolved (TaskFlow's <c>never_resolve</c>): no retry is asked and nothing is reverted; tasks
    /// already running finish, nothing new starts, and the run ends FAILURE with what succeeded left as it is (for example, to
    /// inspect or repair by hand before re-running).
    /// </summary>
    /// <value><see langword="false"/>: failures are resolved by retries or reverts.</value>
    [Id(2)] public bool NeverResolve { get; init; }
}
