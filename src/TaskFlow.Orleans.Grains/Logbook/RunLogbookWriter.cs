using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>
/// Makes one run's applied changes durable: one write in flight at a time, everything applied meanwhile goes into the next
/// write (TaskFlow's save order at the cost of one commit per step of a chain, shared with other runs by the cross-run
/// committer). A write that fails is retried as it is (same write id, so an unknown outcome is resolved by the store); a
/// conflict, or failures past the bound, break the writer: the run's owner must stop and be rebuilt from what is durable.
/// </summary>
internal sealed class RunLogbookWriter
{
    private readonly RunLogbookState _state;
    private readonly LogbookSerializer _serializer;
    private readonly Func<LogbookWrite, Task<LogbookWriteStatus>> _commit;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;
    private readonly TimeSpan _firstRetryDelay;
    private readonly Action<Exception>? _onBroken;
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private Task? _loop;

    /// <summary>Creates the writer.</summary>
    /// <param name="state">The run's logbook.</param>
    /// <param name="serializer">Turns records into payloads.</param>
    /// <param name="commit">Commits one write (through the cross-run committer).</param>
    /// <param name="time">The clock retries wait on.</param>
    /// <param name="maxAttempts">How many times one write is tried before the writer breaks.</param>
    /// <param name="firstRetryDelay">The wait before the first retry; doubled each time.</param>
    /// <param name="onBroken">Told once when the writer breaks, also when nobody waits (a relaxed run's write in the background).</param>
    public RunLogbookWriter(RunLogbookState state, LogbookSerializer serializer, Func<LogbookWrite, Task<LogbookWriteStatus>> commit,
        TimeProvider time, int maxAttempts = 5, TimeSpan? firstRetryDelay = null, Action<Exception>? onBroken = null)
    {
        _onBroken = onBroken;
        _state = state;
        _serializer = serializer;
        _commit = commit;
        _time = time;
        _maxAttempts = Math.Max(1, maxAttempts);
        _firstRetryDelay = firstRetryDelay ?? TimeSpan.FromMilliseconds(100);
    }

    /// <summary>Why the writer stopped, if it did: the logbook in memory may be ahead of what is durable and must be dropped.</summary>
    public Exception? Broken { get; private set; }

    /// <summary>Whether a write is in flight.</summary>
    public bool IsWriting => _loop is { IsCompleted: false };

    /// <summary>Starts writing what is applied and not yet durable, if no write is in flight.</summary>
    public void Kick()
    {
        if (Broken is null && !IsWriting && _state.IsDirty)
        {
            _loop = LoopAsync();
        }
    }

    /// <summary>Completes when everything applied up to <paramref name="sequence"/> is durable.</summary>
    /// <param name="sequence">The record sequence to wait for.</param>
    /// <returns>A task that fails with <see cref="Broken"/> if the writer breaks first.</returns>
    public Task WaitDurableAsync(long sequence)
    {
        if (Broken is { } broken)
        {
            return Task.FromException(broken);
        }

        if (sequence <= _state.DurableSequence)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((sequence, done));
        Kick();
        return done.Task;
    }

    /// <summary>Completes when everything applied so far is durable.</summary>
    /// <returns>The task.</returns>
    public Task FlushAsync() => WaitDurableAsync(_state.Sequence);

    private async Task LoopAsync()
    {

        while (Broken is null && _state.IsDirty)
        {
            var (write, covers) = _state.TakeWrite(_serializer);
            var delay = _firstRetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var status = await _commit(write);
                    if (status == LogbookWriteStatus.Conflict)
                    {
                        Break(new LogbookConflictException(
                            $"The logbook of run '{_state.RunId}' is no longer at version {write.ExpectedVersion}: another activation wrote " +
                            "it. This one stops; the run carries on from the stored logbook."));
                        return;
                    }

                    _state.Committed(write, covers);
                    Release();
                    break;
                }
                catch (Exception exception) when (attempt < _maxAttempts && exception is not LogbookConflictException)
                {
                    await Task.Delay(delay, _time);
                    delay *= 2;
                }
                catch (Exception exception)
                {
                    _state.Failed(write);
                    Break(exception as TaskFlowException ?? new FlowStorageException(
                        $"Could not write the logbook of run '{_state.RunId}' after {attempt} attempt(s): {exception.GetType().Name}: " +
                        $"{exception.Message}. The run stops here and carries on from what is durable once storage answers."));
                    return;
                }
            }
        }
    }

    private void Release()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Sequence <= _state.DurableSequence)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private void Break(Exception exception)
    {
        Broken = exception;
        _onBroken?.Invoke(exception);
        foreach (var (_, done) in _waiters)
        {
            done.TrySetException(exception);
        }

        _waiters.Clear();
    }
}
