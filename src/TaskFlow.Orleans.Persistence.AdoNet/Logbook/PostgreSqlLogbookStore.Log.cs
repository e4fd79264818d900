using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

internal sealed partial class PostgreSqlLogbookStore
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the logbooks of {Runs} run(s) to {Database} failed")]
    private partial void LogWriteFailed(Exception exception, int runs, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the logbook of run {RunId} from {Database} failed")]
    private partial void LogReadFailed(Exception exception, string runId, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Listing runs from the run index in {Database} failed")]
    private partial void LogQueryFailed(Exception exception, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Counting runs by state in {Database} failed")]
    private partial void LogCountFailed(Exception exception, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging run {RunId} from {Database} failed")]
    private partial void LogDeleteFailed(Exception exception, string runId, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting a batch of finished runs from {Database} failed")]
    private partial void LogDeleteFinishedFailed(Exception exception, string database);
}
