using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>Log messages of the executor.</summary>
internal sealed partial class TaskExecutor
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Task {TaskName} failed during {Phase} of atom {AtomName} in flow {FlowId}; returning the failure to the engine")]
        public static partial void TaskFailed(ILogger logger, Exception exception, string taskName, string phase, string atomName, string flowId);

        [LoggerMessage(4, LogLevel.Debug, "Task {TaskName} failed during {Phase} of atom {AtomName} in flow {FlowId}; returning the failure to the engine: {ExceptionType}: {Message} (masked values replaced; no stack trace)")]
        public static partial void TaskFailedMasked(ILogger logger, string taskName, string phase, string atomName, string flowId, string exceptionType, string message);

        [LoggerMessage(2, LogLevel.Warning, "Task {TaskName} for atom {AtomName} in flow {FlowId} is not registered on this silo; register it with AddTask on every silo")]
        public static partial void TaskNotRegistered(ILogger logger, string taskName, string atomName, string flowId);

        [LoggerMessage(3, LogLevel.Information, "Execution {ExecutionId} of atom {AtomName} in flow {FlowId} is already running on this silo; the second request waits for its outcome instead of running the task again")]
        public static partial void Joined(ILogger logger, string executionId, string atomName, string flowId);
    }
}
