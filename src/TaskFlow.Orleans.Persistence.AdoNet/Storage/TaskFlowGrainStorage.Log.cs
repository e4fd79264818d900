using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Persistence.AdoNet.Storage;

internal sealed partial class TaskFlowGrainStorage
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Operation} of state {StateName} of {GrainId} failed; retry {Retry} of {MaxRetries} in {DelayMs} ms")]
    private partial void LogRetrying(Exception exception, string operation, string stateName, GrainId grainId, int retry, int maxRetries, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage {Operation} of state {StateName} of {GrainId} failed after {Attempts} attempt(s)")]
    private partial void LogFailed(Exception exception, string operation, string stateName, GrainId grainId, int attempts);
}
