using Microsoft.Extensions.Logging;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

internal sealed partial class SqliteStartup
{
    [LoggerMessage(Level = LogLevel.Information, Message = "TaskFlow schema {Action} in SQLite database {Path} (WAL mode) in {ElapsedMs} ms")]
    private partial void LogReady(string path, string action, long elapsedMs);
}
