namespace TaskFlow.Orleans.Definitions;

/// <summary>Starts building a flow with one of TaskFlow's patterns.</summary>
/// <example>
/// <code>
/// FlowDefinition flow = Flow.Linear("boot-server")
///     .Add&lt;AllocateIp&gt;(provides: "ip")
///     .Add(Flow.Unordered("volumes")
///         .Add&lt;CreateVolume&gt;("root-volume", provides: "root", inject: ("sizeGb", 20))
///         .Add&lt;CreateVolume&gt;("data-volume", provides: "data", inject: ("sizeGb", 200)))
///     .Add&lt;BootVm&gt;(rebind: ("image", "golden-image"))
///     .Build();
/// </code>
/// </example>
public static class Flow
{
    /// <summary>A pattern whose items run one after another.</summary>
    /// <param name="name">The pattern's name, unique in the flow.</param>
    /// <returns>A builder.</returns>
    public static FlowBuilder Linear(string name) => new(name, PatternKind.Linear);

    /// <summary>A pattern whose items may all run at once and do not see each other's results.</summary>
    /// <param name="name">The pattern's name, unique in the flow.</param>
    /// <returns>A builder.</returns>
    public static FlowBuilder Unordered(string name) => new(name, PatternKind.Unordered);

    /// <summary>A pattern ordered by edges inferred from requires/provides plus explicit <see cref="FlowBuilder.Link"/>s.</summary>
    /// <param name="name">The pattern's name, unique in the flow.</param>
    /// <returns>A builder.</returns>
    public static FlowBuilder Graph(string name) => new(name, PatternKind.Graph);

    /// <summary>
    /// A graph pattern that runs only a target item and what it depends on (TaskFlow's <c>TargetedFlow</c>): set the target
    /// with <see cref="FlowBuilder.SetTarget"/>; items the target does not need, directly or through others, are left out of
    /// the run. Without a target it is an ordinary graph pattern.
    /// </summary>
    /// <param name="name">The pattern's name, unique in the flow.</param>
    /// <returns>A builder.</returns>
    /// <example>
    /// <code>
    /// Flow.Targeted("build").Add&lt;Compile&gt;(provides: "objects").Add&lt;Link&gt;(provides: "binary").Add&lt;Docs&gt;()
    ///     .SetTarget("Link"); // runs Compile then Link; Docs is not part of the run
    /// </code>
    /// </example>
    public static FlowBuilder Targeted(string name) => new(name, PatternKind.Graph, targeted: true);
}
