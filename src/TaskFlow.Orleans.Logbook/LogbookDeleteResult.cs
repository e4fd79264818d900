using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Logbook;

/// <summary>What <see cref="ILogbookStore.DeleteAsync"/> did.</summary>
public enum LogbookDeleteStatus : byte
{
    /// <summary>The run was finished and is deleted: its run row (the run index entry) and every atom row.</summary>
    Deleted = 0,

    /// <summary>No such run is stored.</summary>
    NotFound = 1,

    /// <summary>The run is stored but not finished: nothing was deleted.</summary>
    NotFinished = 2,
}

/// <summary>What <see cref="ILogbookStore.DeleteAsync"/> did, and the state the run was in when it refused.</summary>
/// <param name="Status">Deleted, not found, or refused.</param>
/// <param name="State">For <see cref="LogbookDeleteStatus.NotFinished"/>, the run's state; otherwise <see langword="null"/>.</param>
public readonly record struct LogbookDeleteResult(LogbookDeleteStatus Status, FlowState? State = null)
{
    /// <summary>The run was deleted.</summary>
    public static LogbookDeleteResult Deleted => new(LogbookDeleteStatus.Deleted);

    /// <summary>No such run.</summary>
    public static LogbookDeleteResult NotFound => new(LogbookDeleteStatus.NotFound);

    /// <summary>The run is in <paramref name="state"/>, not finished; nothing was deleted.</summary>
    /// <param name="state">Its state.</param>
    /// <returns>The result.</returns>
    public static LogbookDeleteResult NotFinished(FlowState state) => new(LogbookDeleteStatus.NotFinished, state);
}
