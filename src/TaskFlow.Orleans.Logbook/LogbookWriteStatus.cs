namespace TaskFlow.Orleans.Logbook;

/// <summary>What became of one run's write in a transaction.</summary>
public enum LogbookWriteStatus
{
    /// <summary>Stored (now, or by an earlier attempt of the same write).</summary>
    Committed = 0,

    /// <summary>Not stored: the run was not at the expected version (another writer got there first, or a new run's id is taken).</summary>
    Conflict = 1,
}
