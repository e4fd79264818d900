using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace TaskFlow.Orleans.Persistence.AdoNet.Storage;

/// <summary>The grain storage TaskFlow's grains use on a relational database: the Orleans ADO.NET provider, plus bounded
/// retries of faults that are safe to retry and wrapping of database exceptions.</summary>
/// <remarks>
/// <para>Database driver exceptions (Npgsql, SQLite) cannot cross a grain call: Orleans has no codec for them, and a caller
/// got <c>CodecNotFoundException</c> instead of an answer. Every fault other than a version conflict leaves here as a
/// serializable <see cref="FlowStorageException"/> that names the database, the state and the original error; the
/// original is logged on the silo. That covers reads on activation too, which no grain code sees.</para>
/// <para><see cref="InconsistentStateException"/> (a version conflict) passes unchanged: Orleans acts on it.</para>
/// </remarks>
internal sealed partial class TaskFlowGrainStorage : IGrainStorage
{
    private readonly IGrainStorage _inner;
    private readonly string _name;
    private readonly StorageFaultPolicy _policy;
    private readonly ILogger<TaskFlowGrainStorage> _logger;

    public TaskFlowGrainStorage(IGrainStorage inner, string name, StorageFaultPolicy policy, ILogger<TaskFlowGrainStorage> logger)
    {
        _inner = inner;
        _name = name;
        _policy = policy;
        _logger = logger;
    }

    /// <summary>The provider this one wraps.</summary>
    internal IGrainStorage Inner => _inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("read", stateName, grainId, _policy.CanRetryRead,
            () => _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("write", stateName, grainId, _policy.CanRetryWrite,
            () => _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("clear", stateName, grainId, _policy.CanRetryWrite,
            () => _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    private async Task RunAsync(string operation, string stateName, GrainId grainId, Func<Exception, bool> canRetry, Func<Task> attempt,
        CancellationToken cancellationToken)
    {
        var delay = _policy.FirstDelay;
        for (var retry = 0; ; retry++)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception exception) when (!IsPassedThrough(exception, cancellationToken))
            {
                if (retry < _policy.MaxRetries && canRetry(exception))
                {
                    LogRetrying(exception, operation, stateName, grainId, retry + 1, _policy.MaxRetries, (long)delay.TotalMilliseconds);
                    await Task.Delay(delay, cancellationToken);
                    delay *= 2;
                    continue;
                }

                LogFailed(exception, operation, stateName, grainId, retry + 1);
                throw new FlowStorageException(
                    $"Could not {operation} state '{stateName}' of {grainId} in {_policy.DatabaseName} (storage provider '{_name}') " +
                    $"after {retry + 1} attempt(s): {exception.GetType().Name}: {exception.Message}. Check that the database is " +
                    "reachable; flows resume from their last durable state once it is.");
            }
        }
    }

    // Version conflicts and Orleans' own exceptions are serializable and meaningful to Orleans; cancellation is not a fault.
    private static bool IsPassedThrough(Exception exception, CancellationToken cancellationToken) =>
        exception is InconsistentStateException or OrleansException or TaskFlowException
        || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
