using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Startup;

internal sealed partial class PostgreSqlStartup
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for {Database}: attempt {Attempt} failed ({Error}); retrying in {DelayMs} ms")]
    private partial void LogWaiting(string database, int attempt, string error, long delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "TaskFlow schema ({Parts}) {Action} in {Database} in {ElapsedMs} ms")]
    private partial void LogReady(string database, TaskFlowSchemaParts parts, string action, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Named queries in {Database} differ from this version's: {Keys}. Apply the schema again " +
                                                       "(TaskFlowSchema.ApplyPostgreSqlAsync) unless they were changed on purpose")]
    private partial void LogOutdatedQueries(string database, string keys);
}
