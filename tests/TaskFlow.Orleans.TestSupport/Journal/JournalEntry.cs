using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>One call of a test task's Execute or Revert, as the task saw it.</summary>
public sealed record JournalEntry
{
    /// <summary>Increases across every entry of the process, so entries of one flow sort into the order they were recorded.</summary>
    public required long Order { get; init; }

    /// <summary>When the entry was recorded (the call's end).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The flow run the call belongs to (<c>TaskContext.FlowId</c>).</summary>
    public required string FlowId { get; init; }

    /// <summary>The atom's name in the flow (<c>TaskContext.AtomName</c>).</summary>
    public required string AtomName { get; init; }

    /// <summary>The execution id (<c>TaskContext.ExecutionId</c>): the same for a re-dispatch of one attempt.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The task's registered name.</summary>
    public required string TaskName { get; init; }

    /// <summary>Execute or Revert.</summary>
    public required TaskAction Action { get; init; }

    /// <summary>The named arguments the call received (not the context, token, outcome or flow failures).</summary>
    public ImmutableDictionary<string, object?> Arguments { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>Execute: what it returned. Revert: the execute result it received in its outcome.</summary>
    public object? Result { get; init; }

    /// <summary>Execute: the exception it threw, as a failure. Revert: the execute failure it received in its outcome.</summary>
    public Failure? Failure { get; init; }

    /// <summary>Revert: whether its outcome said execute succeeded; <see langword="null"/> for Execute.</summary>
    public bool? OutcomeIsSuccess { get; init; }

    /// <summary>Revert: every failure of the flow by atom name, as received; <see langword="null"/> for Execute.</summary>
    public ImmutableDictionary<string, Failure>? FlowFailures { get; init; }

    /// <summary>Revert: the exception the revert itself threw, as a failure.</summary>
    public Failure? RevertFailure { get; init; }

    /// <summary>The silo the call ran on (its address in Orleans' long form, as <c>AtomSnapshot.RanOn</c>), when known.</summary>
    public string? Silo { get; init; }

    /// <summary>The managed thread the call ended on.</summary>
    public int ThreadId { get; init; }

    /// <summary>The entry in a short form for assertion messages: <c>add1.execute</c>, <c>add1.revert</c>.</summary>
    /// <returns>The short form.</returns>
    public override string ToString() => $"{AtomName}.{(Action == TaskAction.Execute ? "execute" : "revert")}";
}
