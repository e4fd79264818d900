namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>Which method of a test task a <see cref="JournalEntry"/> records.</summary>
public enum TaskAction
{
    /// <summary>Execute ran (and returned or threw).</summary>
    Execute,

    /// <summary>Revert ran (and returned or threw).</summary>
    Revert,
}
