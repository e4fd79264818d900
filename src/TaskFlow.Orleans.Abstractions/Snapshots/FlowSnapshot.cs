using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>A flow run as it stands: its state, every atom, its results by name and its failures.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowSnapshot")]
public sealed record FlowSnapshot
{
    /// <summary>The flow run's id.</summary>
    [Id(0)] public required string FlowId { get; init; }

    /// <summary>The flow's name (its top pattern).</summary>
    [Id(1)] public required string FlowName { get; init; }

    /// <summary>The flow factory it was started from, if any.</summary>
    [Id(2)] public string? FactoryName { get; init; }

    /// <summary>The flow's state.</summary>
    [Id(3)] public required FlowState State { get; init; }

    /// <summary>When it was started.</summary>
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached a terminal state.</summary>
    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Every atom, by id.</summary>
    [Id(6)] public ImmutableArray<AtomSnapshot> Atoms { get; init; } = [];

    /// <summary>Results by provided name, from atoms that succeeded.</summary>
    [Id(7)] public ImmutableDictionary<string, object?> Results { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>Execute and revert failures by atom name.</summary>
    [Id(8)] public ImmutableDictionary<string, Failure> Failures { get; init; } = ImmutableDictionary<string, Failure>.Empty;

    /// <summary>Where the snapshot was read: from the run's active engine, or from its logbook without activating it.</summary>
    [Id(9)] public SnapshotSource Source { get; init; }

    /// <summary>The run's inputs as they were recorded when it started (TaskFlow's <c>store</c>).</summary>
    [Id(10)] public ImmutableDictionary<string, object?> Inputs { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>The run's tags (<c>StartFlowOptions.Tags</c>), in the order given.</summary>
    [Id(11)] public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>When the run last changed, as recorded; <see langword="null"/> when the logbook does not say.</summary>
    [Id(12)] public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The silo whose engine runs the run (or last ran it), as the silo's identity
    /// (<c>Cluster.SiloView.Address</c>); <see langword="null"/> when the logbook does not say.</summary>
    [Id(13)] public string? Silo { get; init; }

    /// <summary>When the run's changes become durable, as chosen when it started.</summary>
    [Id(14)] public Definitions.Durability Durability { get; init; }

    /// <summary>The number (<see cref="FlowEvent.Sequence"/>) of the last event whose change this snapshot shows.</summary>
    /// <remarks>Watch from it (<c>FlowHandle.WatchAsync(afterSequence)</c>) to see only the changes made after the snapshot, as
    /// a list-then-watch: nothing is missed. A change recorded while a progress report was being published may be seen in
    /// both.</remarks>
    /// <value>0 for a run that has not changed yet.</value>
    [Id(15)] public long EventSequence { get; init; }

    /// <summary>The input and result names the silos mask (<c>TaskFlowOptions.MaskedKeys</c>) that this run holds: their values,
    /// and atom results and arguments holding them, are shown as <see cref="MaskedValue"/>.</summary>
    [Id(16)] public ImmutableArray<string> MaskedNames { get; init; } = [];

    /// <summary>The run's statistics: executes, reverts, failures and retries of its atoms, the time they took, and the run's
    /// duration (TaskFlow's engine <c>statistics</c>); per atom in <see cref="AtomSnapshot.Statistics"/>.</summary>
    [Id(17)] public FlowStatistics Statistics { get; init; } = new();

    /// <summary>How many atoms the run has: <see cref="Atoms"/> holds them all, or a page of them (see <see cref="FirstAtom"/>).</summary>
    [Id(18)] public int AtomCount { get; init; }

    /// <summary>The position in the run of <see cref="Atoms"/>' first atom: 0 for a whole snapshot, the page's start for a page.</summary>
    [Id(19)] public int FirstAtom { get; init; }

    /// <summary>Whether <see cref="Atoms"/> is a page of the run's atoms rather than all of them.</summary>
    public bool IsPage => FirstAtom > 0 || Atoms.Length < AtomCount;

    /// <summary>The most atoms one page of a snapshot holds (<c>FlowHandle.GetSnapshotPageAsync</c>).</summary>
    public const int MaxPageSize = 5_000;

    /// <summary>What a masked value is shown as.</summary>
    public const string MaskedValue = "***";

    /// <summary>Whether the flow reached a terminal state (success, failure, reverted or suspended).</summary>
    public bool IsFinished => FlowStatus.IsTerminal(State);

    /// <summary>The atom with the given name.</summary>
    /// <param name="name">The atom's name.</param>
    /// <returns>The atom.</returns>
    /// <exception cref="KeyNotFoundException">No atom has that name.</exception>
    public AtomSnapshot Atom(string name) =>
        Atoms.FirstOrDefault(a => a.Name == name)
        ?? throw new KeyNotFoundException($"Flow '{FlowName}' has no atom named '{name}'. Atoms: {string.Join(", ", Atoms.Select(a => a.Name))}.");
}
