using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans;

/// <summary>Thrown by <c>RunAsync</c> when a flow ends REVERTED or FAILURE; carries the flow's failures.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowFailedException")]
public sealed class FlowFailedException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="state">The terminal state: <see cref="FlowState.Reverted"/> or <see cref="FlowState.Failure"/>.</param>
    /// <param name="failures">Every failure by atom name.</param>
    /// <param name="failure">The failure that started the revert; when omitted, one of <paramref name="failures"/>.</param>
    public FlowFailedException(string flowId, FlowState state, ImmutableDictionary<string, Failure> failures, Failure? failure = null)
        : base(Format(flowId, state, failures))
    {
        FlowId = flowId;
        State = state;
        Failures = failures;
        Failure = failure ?? failures.Values.FirstOrDefault();
    }

    /// <summary>The flow run's id.</summary>
    [Id(0)] public string FlowId { get; }

    /// <summary>The terminal state.</summary>
    [Id(1)] public FlowState State { get; }

    /// <summary>Every failure by atom name.</summary>
    [Id(2)] public ImmutableDictionary<string, Failure> Failures { get; }

    /// <summary>The failure that started the revert (an execute failure, never a revert's own), if any.</summary>
    /// <remarks>Stored rather than taken from <see cref="Failures"/>: an immutable dictionary has no order, so its first
    /// entry could be a revert failure.</remarks>
    [Id(3)] public Failure? Failure { get; }

    private static string Format(string flowId, FlowState state, ImmutableDictionary<string, Failure> failures) =>
        $"Flow '{flowId}' ended {StateNames.Of(state)}"
        + (failures.IsEmpty ? "." : ": " + string.Join("; ", failures.Select(f => $"atom '{f.Key}' failed with {f.Value}")));
}
