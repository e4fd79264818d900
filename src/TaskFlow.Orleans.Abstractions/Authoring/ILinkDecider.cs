namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// A link decider's code (TaskFlow's link <c>decider</c> callable): user code registered on the silos by name, asked right
/// before an atom behind a decided link would run.
/// </summary>
/// <remarks>The engine calls it synchronously. An exception ends the flow in FAILURE (after running atoms finish), as
/// an exception while TaskFlow selects the next atoms does.</remarks>
public interface ILinkDecider
{
    /// <summary>Whether the atom behind the link may run.</summary>
    /// <param name="context">The run, the link, and the results of the atoms at the source of the deciders on links into that
    /// atom, by atom name (ignored atoms and links from subflows contribute nothing).</param>
    /// <returns><see langword="true"/> to run it; <see langword="false"/> to IGNORE it and what the link's depth reaches.</returns>
    bool Decide(DeciderContext context);
}
