using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Testing;

/// <summary>Waiting for a run's state: woken by the run's own events (the client's watch), bounded by a deadline, never slept.</summary>
public sealed partial class TaskFlowTestCluster
{
    /// <summary>The longest one wait for the run's next event lasts before the snapshot is read again; a bound on a missed
    /// wake-up, not a sleep (the wait ends as soon as an event arrives).</summary>
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(1);

    /// <summary>Waits until a run's snapshot satisfies <paramref name="condition"/>. Each event of the run wakes the wait; calls
    /// that fail while a killed silo's runs move to another silo are retried until the deadline.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="condition">What the snapshot must show.</param>
    /// <param name="description">What is awaited, for the timeout message (e.g. "charge RUNNING").</param>
    /// <param name="timeout">The longest to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The first snapshot that satisfied the condition.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time, or the run finished without it; the message
    /// shows the run's last state, its atoms and its journal.</exception>
    public async Task<FlowSnapshot> WaitForAsync(string flowId, Func<FlowSnapshot, bool> condition, string description,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flowId);
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var handle = Client.GetFlowHandle(flowId);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var last = "no answer yet";
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                var snapshot = await handle.GetSnapshotAsync(deadline.Token).ConfigureAwait(false);
                if (condition(snapshot))
                {
                    return snapshot;
                }

                last = $"{StateNames.Of(snapshot.State)}; atoms: {string.Join(", ", snapshot.Atoms.Select(a => $"{a.Name}={StateNames.Of(a.State)}"))}";
                if (snapshot.IsFinished && snapshot.State != FlowState.Suspended)
                {
                    throw new TimeoutException($"Run '{flowId}' finished {last} without reaching '{description}'. " +
                        $"Journal: {Journal.ForRun(flowId).DescribeAll()}.");
                }

                await NextEventAsync(handle, snapshot.EventSequence, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is not TimeoutException and not FlowNotFoundException)
            {
                // The run's silo was killed and the run is being rebuilt elsewhere: ask again until the deadline.
                last = $"{exception.GetType().Name}: {exception.Message}";
                await RetryPauseAsync(deadline.Token).ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"Run '{flowId}' did not reach '{description}' within {limit.TotalSeconds:0.#} s; last: {last}. " +
            $"Journal: {Journal.ForRun(flowId).DescribeAll()}.");
    }

    /// <summary>Waits until a run is in <paramref name="state"/> (see <see cref="WaitForAsync"/>).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="state">The state, e.g. <see cref="FlowState.Suspended"/>.</param>
    /// <param name="timeout">The longest to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The snapshot in that state.</returns>
    /// <exception cref="TimeoutException">The run did not reach the state in time, or finished in another.</exception>
    public Task<FlowSnapshot> WaitForStateAsync(string flowId, FlowState state, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(flowId, s => s.State == state, StateNames.Of(state), timeout, cancellationToken);

    /// <summary>Waits until an atom of a run is in <paramref name="state"/> (see <see cref="WaitForAsync"/>).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="atomName">The atom's name in the flow.</param>
    /// <param name="state">The state, e.g. <see cref="AtomState.Running"/>.</param>
    /// <param name="timeout">The longest to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The snapshot with the atom in that state.</returns>
    /// <exception cref="TimeoutException">The atom did not reach the state in time, or the run finished first.</exception>
    public Task<FlowSnapshot> WaitForAtomStateAsync(string flowId, string atomName, AtomState state, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        WaitForAsync(flowId, s => s.Atoms.Any(a => a.Name == atomName && a.State == state), $"{atomName} {StateNames.Of(state)}", timeout, cancellationToken);

    /// <summary>Waits until a run has finished: SUCCESS, FAILURE or REVERTED (see <see cref="WaitForAsync"/>).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="timeout">The longest to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The finished run's snapshot.</returns>
    /// <exception cref="TimeoutException">The run did not finish in time.</exception>
    public Task<FlowSnapshot> WaitForFinishAsync(string flowId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(flowId, s => s.State is FlowState.Success or FlowState.Failure or FlowState.Reverted, "finished", timeout, cancellationToken);

    private static async Task RetryPauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Bounded by the caller's deadline; keeps a failing call from being retried in a tight loop.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task NextEventAsync(Client.FlowHandle handle, long afterSequence, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(EventWait);
        try
        {
            await using var events = handle.WatchAsync(afterSequence, wait.Token).GetAsyncEnumerator(wait.Token);
            if (!await events.MoveNextAsync().ConfigureAwait(false))
            {
                // The run stopped producing events (suspended): wait out the bound, then look again.
                await Task.Delay(Timeout.InfiniteTimeSpan, wait.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No event within the bound: read the snapshot again.
        }
    }
}
