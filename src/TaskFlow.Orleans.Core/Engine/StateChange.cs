using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>One state change the engine made: of an atom (<see cref="AtomId"/> ≥ 0) or of the flow (<see cref="AtomId"/> = -1).</summary>
/// <param name="AtomId">The atom, or -1 for the flow.</param>
/// <param name="From">The old state (an <see cref="AtomState"/> or a <see cref="FlowState"/>).</param>
/// <param name="To">The new state.</param>
internal readonly record struct StateChange(int AtomId, byte From, byte To)
{
    /// <summary>Whether this is a change of the flow's state.</summary>
    public bool IsFlow => AtomId < 0;

    /// <summary>The atom's new state.</summary>
    public AtomState AtomTo => (AtomState)To;

    /// <summary>The flow's new state.</summary>
    public FlowState FlowTo => (FlowState)To;

    /// <summary>A change of an atom's state.</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="from">Old state.</param>
    /// <param name="to">New state.</param>
    /// <returns>The change.</returns>
    public static StateChange Atom(int atomId, AtomState from, AtomState to) => new(atomId, (byte)from, (byte)to);

    /// <summary>A change of the flow's state.</summary>
    /// <param name="from">Old state.</param>
    /// <param name="to">New state.</param>
    /// <returns>The change.</returns>
    public static StateChange Flow(FlowState from, FlowState to) => new(-1, (byte)from, (byte)to);
}
