namespace TaskFlow.Orleans.Persistence.AdoNet.Storage;

/// <summary>How <see cref="TaskFlowGrainStorage"/> treats database faults: which it retries, how often, and how it names the
/// database in the <see cref="FlowStorageException"/> a grain sees when retries run out.</summary>
/// <param name="DatabaseName">The database, for messages, e.g. "PostgreSQL database 'taskflow' at db:5432".</param>
/// <param name="MaxRetries">Retries after the first attempt; 0 disables retries.</param>
/// <param name="FirstDelay">The delay before the first retry; it doubles for each further retry.</param>
/// <param name="CanRetryRead">Whether a failed read may be retried.</param>
/// <param name="CanRetryWrite">Whether a failed write or clear certainly changed nothing, so that it may be retried.</param>
internal sealed record StorageFaultPolicy(
    string DatabaseName,
    int MaxRetries,
    TimeSpan FirstDelay,
    Func<Exception, bool> CanRetryRead,
    Func<Exception, bool> CanRetryWrite)
{
    /// <summary>A policy that retries nothing.</summary>
    public static StorageFaultPolicy NoRetries(string databaseName) => new(databaseName, 0, TimeSpan.Zero, static _ => false, static _ => false);
}
