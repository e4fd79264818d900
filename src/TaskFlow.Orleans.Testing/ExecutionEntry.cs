using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing;

/// <summary>One step of a task call as the engine recorded it: an execute or revert starting, returning or throwing.</summary>
/// <remarks>The kit records entries itself, from a listener it adds to every silo of a <see cref="TaskFlowTestCluster"/>:
/// your tasks need no test code. Retry controllers are not recorded.</remarks>
public sealed record ExecutionEntry
{
    /// <summary>Increases across every entry of the journal, so a run's entries sort in the order they were recorded.</summary>
    public required long Order { get; init; }

    /// <summary>The run's id.</summary>
    public required string FlowId { get; init; }

    /// <summary>The atom's name in the flow.</summary>
    public required string AtomName { get; init; }

    /// <summary>Execute or revert.</summary>
    public required ExecutionKind Kind { get; init; }

    /// <summary>Started, succeeded or failed.</summary>
    public required ExecutionOutcome Outcome { get; init; }

    /// <summary>What a succeeded execute returned; otherwise <see langword="null"/>.</summary>
    public object? Result { get; init; }

    /// <summary>What a failed call threw, as the engine stored it; otherwise <see langword="null"/>.</summary>
    public Failure? Failure { get; init; }

    /// <summary>The silo whose engine drove the run when the change was made (<c>SiloAddress.ToString()</c>, as
    /// <see cref="TaskFlowTestCluster.Silos"/> show it): after a silo is killed, later entries name the silo the run resumed on.</summary>
    public required string Silo { get; init; }

    /// <summary>When the engine made the change, by the silo's clock (the fake clock when the cluster uses one).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The entry in the short form assertion messages use: <c>add.execute</c>, <c>add.execute(failed)</c>,
    /// <c>add.revert</c>, <c>add.revert(started)</c>.</summary>
    /// <returns>The short form.</returns>
    public override string ToString() => ExpectedCall.Format(AtomName, Kind, Outcome);
}
