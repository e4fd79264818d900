using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

internal sealed partial class SqliteLogbookStore
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the logbooks of {Runs} run(s) to the SQLite database {Path} failed")]
    private partial void LogWriteFailed(Exception exception, int runs, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the logbook of run {RunId} from the SQLite database {Path} failed")]
    private partial void LogReadFailed(Exception exception, string runId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Listing runs from the run index in the SQLite database {Path} failed")]
    private partial void LogQueryFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Counting runs by state in the SQLite database {Path} failed")]
    private partial void LogCountFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging run {RunId} from the SQLite database {Path} failed")]
    private partial void LogDeleteFailed(Exception exception, string runId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting a batch of finished runs from the SQLite database {Path} failed")]
    private partial void LogDeleteFinishedFailed(Exception exception, string path);
}
