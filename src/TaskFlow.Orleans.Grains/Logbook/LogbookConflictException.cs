using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Thrown when an engine's view and its run's logbook disagree (another activation wrote it, or writes were lost
/// with a storage activation in the relaxed mode): the engine stops and a new activation rebuilds from the logbook.</summary>
[GenerateSerializer]
[Alias("taskflow.LogbookConflictException")]
public sealed class LogbookConflictException : TaskFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What disagreed.</param>
    public LogbookConflictException(string message) : base(message)
    {
    }
}
