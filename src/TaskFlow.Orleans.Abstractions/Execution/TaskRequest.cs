namespace TaskFlow.Orleans.Execution;

/// <summary>Asks an executor to run one task's Execute with arguments already prepared by storage.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.TaskRequest")]
internal sealed record TaskRequest
{
    /// <summary>The flow run the atom belongs to.</summary>
    [Id(0)] public required string FlowId { get; init; }

    /// <summary>The atom's name in the flow.</summary>
    [Id(1)] public required string AtomName { get; init; }

    /// <summary>The task's registered name.</summary>
    [Id(2)] public required string TaskName { get; init; }

    /// <summary>Stable for every dispatch of this attempt; the task's idempotency key.</summary>
    [Id(3)] public required string ExecutionId { get; init; }

    /// <summary>Argument name to value, resolved by storage (rebind, inject, scoping and optional arguments applied).</summary>
    [Id(4)] public required Dictionary<string, object?> Arguments { get; init; }

    /// <summary>How long Execute may run before its token is cancelled and it fails with a timeout; <see langword="null"/> for no limit.</summary>
    [Id(5)] public TimeSpan? Timeout { get; init; }
}
