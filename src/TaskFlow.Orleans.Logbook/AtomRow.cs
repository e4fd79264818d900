using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>One atom's row in a run's logbook: its state (a column, for queries) and its whole record as a payload.</summary>
/// <param name="AtomId">The atom's stable id within the run.</param>
/// <param name="State">The atom's state.</param>
/// <param name="Payload">The serialized atom record.</param>
public readonly record struct AtomRow(int AtomId, AtomState State, byte[] Payload);
