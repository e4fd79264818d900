namespace TaskFlow.Orleans.Testing;

/// <summary>Every execute and revert of a <see cref="TaskFlowTestCluster"/>'s runs, recorded by the engine's listener on
/// each silo as the calls start and end: a test reads it with <see cref="ForRun"/> and asserts the order of the calls.</summary>
/// <remarks>Thread-safe. Entries are kept per run, so tests that each start runs with their own ids can share one cluster.
/// Waits (<c>WaitForAsync</c>) are woken by each new entry: nothing polls on a timer.</remarks>
public sealed class ExecutionJournal
{
    private readonly Dictionary<string, List<ExecutionEntry>> _runs = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private long _order;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>The calls of one run, in the order the engine made them.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <returns>A copy of the run's entries at this moment, with assertions; empty when the run has none yet.</returns>
    public RunJournal ForRun(string flowId)
    {
        ArgumentException.ThrowIfNullOrEmpty(flowId);
        lock (_lock)
        {
            return new RunJournal(flowId, _runs.TryGetValue(flowId, out var entries) ? [.. entries] : []);
        }
    }

    /// <summary>Waits until a run's journal has an entry matching <paramref name="condition"/>, woken by each new entry.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="condition">The entry to wait for.</param>
    /// <param name="timeout">The longest to wait; 30 seconds when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The first matching entry.</returns>
    /// <exception cref="TimeoutException">No entry matched in time; the message lists the run's entries.</exception>
    public async Task<ExecutionEntry> WaitForAsync(string flowId, Func<ExecutionEntry, bool> condition, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? TaskFlowTestCluster.DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            var journal = ForRun(flowId);
            if (journal.Entries.FirstOrDefault(condition) is { } entry)
            {
                return entry;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Run '{flowId}' has no matching journal entry after {limit.TotalSeconds:0.#} s. Its journal: {journal.DescribeAll()}.");
            }
        }
    }

    /// <summary>Waits until <paramref name="call"/> is in a run's journal (see <see cref="ExpectedCall"/>).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="call">The call, e.g. <c>ExpectedCall.Executed("a")</c>.</param>
    /// <param name="timeout">The longest to wait; 30 seconds when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="TimeoutException">The call was not recorded in time; the message lists the run's entries.</exception>
    public Task<ExecutionEntry> WaitForAsync(string flowId, ExpectedCall call, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WaitForAsync(flowId, call.Matches, timeout, cancellationToken);
    }

    /// <summary>Forgets a run's entries.</summary>
    /// <param name="flowId">The run's id.</param>
    public void Clear(string flowId)
    {
        lock (_lock)
        {
            _runs.Remove(flowId);
        }
    }

    internal void Record(Func<long, ExecutionEntry> create)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            var entry = create(++_order);
            if (!_runs.TryGetValue(entry.FlowId, out var entries))
            {
                _runs[entry.FlowId] = entries = [];
            }

            entries.Add(entry);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
