using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>A decider that applies to an atom: on a link into it, or into a pattern it starts (TaskFlow's <c>_EdgeDecider</c>).</summary>
/// <param name="SourceNode">The link's source node: an atom, or a pattern's end.</param>
/// <param name="SourceIsAtom">Whether the source is an atom (only atoms contribute results to the history).</param>
/// <param name="DeciderName">The registered decider.</param>
/// <param name="Decider">Its code.</param>
/// <param name="Depth">How far a "no" reaches.</param>
internal sealed record DeciderEdge(int SourceNode, bool SourceIsAtom, string DeciderName, ILinkDecider Decider, DeciderDepth Depth);
