namespace TaskFlow.Orleans.Logbook;

/// <summary>One run's changes for one transaction: the run row (always) and the atom rows that changed.</summary>
/// <remarks>Rows are whole records, never deltas, so writing the same write twice leaves the same logbook.</remarks>
public sealed class LogbookWrite
{
    /// <summary>The run (flow id).</summary>
    public required string RunId { get; init; }

    /// <summary>Identifies this write, so a retry after an unknown outcome is recognised as already committed.</summary>
    public required Guid WriteId { get; init; }

    /// <summary>The version the run must be at: 0 for a new run (which must not exist yet).</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>The version the run is at once this write commits.</summary>
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>The run's header (definition, inputs, bindings): written with the first write only, never changed.</summary>
    public byte[]? Header { get; init; }

    /// <summary>The run row: index columns and the run record.</summary>
    public required RunRow Run { get; init; }

    /// <summary>The atoms whose records changed, each whole.</summary>
    public IReadOnlyList<AtomRow> Atoms { get; init; } = [];
}
