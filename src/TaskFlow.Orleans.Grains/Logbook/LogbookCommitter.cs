using Microsoft.Extensions.Logging;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>
/// Group commit across runs: every run's write that arrives while a transaction is in flight goes into the next
/// transaction (up to <see cref="LogbookCommitterOptions.MaxBatchSize"/> runs), so one fsync serves many runs.
/// </summary>
/// <remarks>
/// <para>There is no timer: a write waits only for the transaction in flight, so a lone run pays one commit per write and
/// many runs share commits. Two writes of the same run never share a transaction (the second waits for the next), so each
/// run's writes commit in the order they were made.</para>
/// <para>A failed transaction fails every write in it with the store's exception; each writer decides whether to retry (the
/// same <see cref="LogbookWrite"/> may be committed again: see <see cref="ILogbookStore"/>).</para>
/// </remarks>
internal sealed partial class LogbookCommitter
{
    private readonly ILogbookStore _store;
    private readonly LogbookCommitterOptions _options;
    private readonly ILogger<LogbookCommitter> _logger;
    private readonly bool _inline;
    private readonly Lock _lock = new();
    private readonly LinkedList<Pending> _queue = new();
    private int _inFlight;

    private sealed record Pending(LogbookWrite Write, TaskCompletionSource<LogbookWriteStatus> Done);

    /// <summary>Creates the committer.</summary>
    /// <param name="store">Where logbooks are kept.</param>
    /// <param name="options">Batch size and concurrency.</param>
    /// <param name="logger">The logger.</param>
    public LogbookCommitter(ILogbookStore store, LogbookCommitterOptions options, ILogger<LogbookCommitter> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _inline = store is MemoryLogbookStore;
        _options = options;
        _logger = logger;
    }

    /// <summary>The store writes go to.</summary>
    public ILogbookStore Store => _store;

    /// <summary>Transactions committed so far.</summary>
    public long Transactions { get; private set; }

    /// <summary>Runs' writes committed so far (over <see cref="Transactions"/>: runs per commit).</summary>
    public long Writes { get; private set; }

    /// <summary>Queues a write for the next transaction and completes when that transaction has committed.</summary>
    /// <param name="write">The run's write.</param>
    /// <returns>Whether it was stored or conflicted.</returns>
    /// <exception cref="FlowStorageException">The transaction failed.</exception>
    public Task<LogbookWriteStatus> CommitAsync(LogbookWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new Pending(write, new TaskCompletionSource<LogbookWriteStatus>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_lock)
        {
            _queue.AddLast(pending);
            start = _inFlight < _options.MaxConcurrentBatches;
            if (start)
            {
                _inFlight++;
            }
        }

        if (start)
        {
            // The memory store commits at once: no thread hop. Any other store runs off the caller's thread, since a store
            // may block (Microsoft.Data.Sqlite writes synchronously) and the caller is a grain's turn.
            _ = _inline ? RunAsync() : Task.Run(RunAsync);
        }

        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_lock)
            {
                batch = TakeBatch();
                if (batch.Count == 0)
                {
                    _inFlight--;
                    return;
                }
            }

            try
            {
                var statuses = await _store.WriteAsync(batch.ConvertAll(p => p.Write)).ConfigureAwait(false);
                lock (_lock)
                {
                    Transactions++;
                    Writes += batch.Count;
                }

                Diagnostics.TaskFlowMetrics.LogbookCommitted(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(statuses[i]);
                }
            }
            catch (Exception exception)
            {
                LogTransactionFailed(exception, batch.Count);
                var failure = exception as FlowStorageException ?? new FlowStorageException(
                    $"Could not write the logbooks of {batch.Count} run(s): {exception.GetType().Name}: {exception.Message}. " +
                    "Check that the database is reachable; runs carry on from what is durable once it is.");
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(failure);
                }
            }
            finally
            {
                lock (_lock)
                {
                    foreach (var pending in batch)
                    {
                        _running.Remove(pending.Write.RunId);
                    }
                }
            }
        }
    }

    private readonly HashSet<string> _running = new(StringComparer.Ordinal);

    /// <summary>Takes up to a batch of queued writes, oldest first, skipping runs already in a batch in flight or in this one.</summary>
    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        var node = _queue.First;
        while (node is not null && batch.Count < _options.MaxBatchSize)
        {
            var next = node.Next;
            if (_running.Add(node.Value.Write.RunId))
            {
                batch.Add(node.Value);
                _queue.Remove(node);
            }

            node = next;
        }

        return batch;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A logbook transaction of {Runs} run(s) failed")]
    private partial void LogTransactionFailed(Exception exception, int runs);
}
