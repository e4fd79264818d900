using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Execution;

/// <summary>Asks an executor to run one task's Revert, with the execute outcome and the flow's failures.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.RevertRequest")]
internal sealed record RevertRequest
{
    /// <summary>The flow run the atom belongs to.</summary>
    [Id(0)] public required string FlowId { get; init; }

    /// <summary>The atom's name in the flow.</summary>
    [Id(1)] public required string AtomName { get; init; }

    /// <summary>The task's registered name.</summary>
    [Id(2)] public required string TaskName { get; init; }

    /// <summary>The execution id of the attempt being reverted.</summary>
    [Id(3)] public required string ExecutionId { get; init; }

    /// <summary>The same arguments Execute received.</summary>
    [Id(4)] public required Dictionary<string, object?> Arguments { get; init; }

    /// <summary>What Execute returned, when it succeeded.</summary>
    [Id(5)] public object? Result { get; init; }

    /// <summary>The failure Execute ended with, when it failed.</summary>
    [Id(6)] public Failure? ExecuteFailure { get; init; }

    /// <summary>Every failure of the flow so far, by atom name (TaskFlow's <c>flow_failures</c>).</summary>
    [Id(7)] public required Dictionary<string, Failure> FlowFailures { get; init; }
}
