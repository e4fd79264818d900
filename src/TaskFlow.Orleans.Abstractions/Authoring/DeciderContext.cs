using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// What a link decider is asked about (TaskFlow's decider callable gets the history; this adds the run and the link, so a
/// decider can decide per run): the run, the link's ends, and the results of the atoms at the source of the deciders on
/// links into the atom about to run.
/// </summary>
public sealed record DeciderContext
{
    /// <summary>The run's id.</summary>
    public required string FlowId { get; init; }

    /// <summary>The flow's name (its top pattern).</summary>
    public required string FlowName { get; init; }

    /// <summary>The decider's registered name.</summary>
    public required string DeciderName { get; init; }

    /// <summary>The link's source: an atom's name, or the name of the pattern the link leaves.</summary>
    public required string From { get; init; }

    /// <summary>The atom that runs if every decider says yes (the link's target, or the first atom of the pattern it enters).</summary>
    public required string To { get; init; }

    /// <summary>How far a "no" reaches.</summary>
    public DeciderDepth Depth { get; init; }

    /// <summary>The results of the atoms at the source of the deciders on links into <see cref="To"/>, by atom name (ignored
    /// atoms and links from patterns contribute nothing): TaskFlow's <c>history</c> argument.</summary>
    public required IReadOnlyDictionary<string, object?> History { get; init; }
}
