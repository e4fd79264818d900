using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

internal sealed partial class FlowGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {FlowId} ({FlowName}) started with {AtomCount} atoms")]
    private partial void LogStarted(string flowId, string flowName, int atomCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {FlowId} finished {FlowState}")]
    private partial void LogFinished(string flowId, FlowState flowState);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {FlowId} resuming from {FlowState}")]
    private partial void LogResuming(string flowId, FlowState flowState);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flow {FlowId} could not be restored from its stored state")]
    private partial void LogRestoreFailed(Exception exception, string flowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow {FlowId} stopped dispatching after a storage error; it resumes from its last durable state")]
    private partial void LogPumpFailed(Exception exception, string flowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing flow {FlowId} failed (attempt {Attempt})")]
    private partial void LogCommitFailed(Exception exception, string flowId, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removing the resume reminder of flow {FlowId} failed; the next tick retries")]
    private partial void LogReminderCleanupFailed(Exception exception, string flowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow {FlowId}: the executor of atom {AtomName} was lost (attempt {Attempt}); dispatching it again")]
    private partial void LogRedispatch(Exception exception, string flowId, string atomName, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow {FlowId}: listener {Listener} threw; it is skipped for this change")]
    private partial void LogListenerFailed(Exception exception, string flowId, string listener);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {FlowId} purged (its logbook held it: {Deleted})")]
    private partial void LogPurged(string flowId, bool deleted);
}
