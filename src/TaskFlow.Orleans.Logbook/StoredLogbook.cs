namespace TaskFlow.Orleans.Logbook;

/// <summary>A run's logbook as stored: version, header, run row and every atom row.</summary>
public sealed class StoredLogbook
{
    /// <summary>The run (flow id).</summary>
    public required string RunId { get; init; }

    /// <summary>The version of the last committed write.</summary>
    public required long Version { get; init; }

    /// <summary>The header written at creation.</summary>
    public required byte[] Header { get; init; }

    /// <summary>The run row.</summary>
    public required RunRow Run { get; init; }

    /// <summary>Every atom row written so far, in atom id order.</summary>
    public required IReadOnlyList<AtomRow> Atoms { get; init; }
}
