using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Authoring;

/// <summary>One change of a flow run, as listeners see it.</summary>
/// <param name="FlowId">The run's id.</param>
/// <param name="FlowName">The flow's name.</param>
/// <param name="Event">The change (the same event clients watch).</param>
/// <param name="Provides">For an atom, the names its result is stored under (to mask secrets by name).</param>
/// <param name="Duration">For an atom's call that just ended, how long it took.</param>
public sealed record FlowChangeContext(string FlowId, string FlowName, FlowEvent Event, IReadOnlyList<string> Provides, TimeSpan? Duration);
