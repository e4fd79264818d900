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
}
