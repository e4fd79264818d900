using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Execution;

/// <summary>The outcome of one Execute or Revert, as data: a value or a <see cref="Failures.Failure"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.ExecutionResult")]
internal sealed record ExecutionResult
{
    /// <summary>What Execute returned (Revert returns nothing).</summary>
    [Id(0)] public object? Value { get; init; }

    /// <summary>The failure, or <see langword="null"/> on success.</summary>
    [Id(1)] public Failure? Failure { get; init; }

    /// <summary>Which silo ran the call (Orleans' runtime identity).</summary>
    [Id(2)] public string? RanOn { get; init; }

    /// <summary>The size of <see cref="Value"/> as Orleans serializes it, measured by the executor (0 when not measured): what the
    /// value adds to its run's payload (<see cref="Limits.TaskFlowLimits.MaxRunPayloadBytes"/>).</summary>
    [Id(3)] public long ValueBytes { get; init; }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>A success.</summary>
    /// <param name="value">The value.</param>
    /// <param name="ranOn">Which silo ran it.</param>
    /// <returns>The result.</returns>
    public static ExecutionResult Success(object? value, string? ranOn = null) => new() { Value = value, RanOn = ranOn };

    /// <summary>A failure.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="ranOn">Which silo ran it.</param>
    /// <returns>The result.</returns>
    public static ExecutionResult Failed(Failure failure, string? ranOn = null) => new() { Failure = failure, RanOn = ranOn };
}
