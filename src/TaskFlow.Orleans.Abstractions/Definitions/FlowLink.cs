namespace TaskFlow.Orleans.Definitions;

/// <summary>An explicit edge in a graph pattern: <see cref="To"/> runs after <see cref="From"/>, optionally only if a decider says so.</summary>
/// <param name="From">The item (atom or nested flow) that must finish first.</param>
/// <param name="To">The item that runs after it.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowLink")]
public sealed record FlowLink([property: Id(0)] string From, [property: Id(1)] string To)
{
    /// <summary>
    /// The name of a decider registered on the silos, asked before <see cref="To"/> runs with the results of the atoms behind the
    /// flow's deciders for it (TaskFlow's link <c>decider</c>); when it says no, <see cref="To"/> and the atoms <see cref="Depth"/>
    /// reaches are IGNOREd.
    /// </summary>
    /// <value><see langword="null"/>: an unconditional link.</value>
    [Id(2)] public string? Decider { get; init; }

    /// <summary>How far a "no" from <see cref="Decider"/> reaches.</summary>
    /// <value><see cref="DeciderDepth.All"/>.</value>
    [Id(3)] public DeciderDepth Depth { get; init; }
}
