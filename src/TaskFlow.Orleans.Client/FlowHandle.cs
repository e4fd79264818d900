using System.Runtime.CompilerServices;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Client;

/// <summary>A handle to one flow run: query it, wait for its outcome, or watch its state changes. Re-attach with <see cref="ITaskFlowClient.GetFlowHandle"/>.</summary>
public sealed class FlowHandle
{
    // Below Orleans' default response timeout (30 s): long polls are re-issued until the flow finishes.
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(10);
    private readonly IFlowGrain _grain;

    internal FlowHandle(IGrainFactory grainFactory, string flowId)
    {
        FlowId = flowId;
        _grain = grainFactory.GetGrain<IFlowGrain>(flowId);
    }

    /// <summary>The run's id.</summary>
    public string FlowId { get; }

    /// <summary>The run's state, each atom's state, result or failure, and timings.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        _grain.GetSnapshotAsync().WaitAsync(cancellationToken);

    /// <summary>The run's snapshot with a page of its atoms, for runs too big to read whole: <paramref name="take"/> atoms
    /// from position <paramref name="skip"/> in definition order. The run's state, statistics and failures are whole; its
    /// results are those the page's atoms provide. <see cref="FlowSnapshot.AtomCount"/> says how many atoms there are.</summary>
    /// <param name="skip">How many atoms to skip (0 or more).</param>
    /// <param name="take">How many atoms to return, from 1 to <see cref="FlowSnapshot.MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skip"/> or <paramref name="take"/> is out of range.</exception>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowSnapshot> GetSnapshotPageAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (take is < 1 or > FlowSnapshot.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, $"A snapshot page holds from 1 to {FlowSnapshot.MaxPageSize} atoms.");
        }

        return _grain.GetSnapshotPageAsync(skip, take).WaitAsync(cancellationToken);
    }

    /// <summary>The run's short status.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _grain.GetStatusAsync().WaitAsync(cancellationToken);

    /// <summary>Asks the run to suspend: running atoms finish, nothing new starts, and it ends SUSPENDED.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status after the request; suspending a finished run changes nothing.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowStatus> SuspendAsync(CancellationToken cancellationToken = default) =>
        _grain.SuspendAsync().WaitAsync(cancellationToken);

    /// <summary>Resumes a SUSPENDED run where it stopped.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status after the request.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowStatus> ResumeAsync(CancellationToken cancellationToken = default) =>
        _grain.ResumeAsync().WaitAsync(cancellationToken);

    /// <summary>Cancels the run: everything that ran is reverted and it ends REVERTED.</summary>
    /// <param name="reason">Why, recorded as the run's failure.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status after the request; cancelling a finished run changes nothing.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public Task<FlowStatus> CancelAsync(string? reason = null, CancellationToken cancellationToken = default) =>
        _grain.CancelAsync(reason).WaitAsync(cancellationToken);

    /// <summary>Waits for the run to finish and returns its results.</summary>
    /// <param name="cancellationToken">Stops waiting (the flow goes on).</param>
    /// <returns>The results of a SUCCESS (or SUSPENDED) run.</returns>
    /// <exception cref="FlowFailedException">The run ended REVERTED or FAILURE; carries its failures.</exception>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public async Task<FlowResult> GetResultAsync(CancellationToken cancellationToken = default)
    {
        FlowStatus status;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            status = await _grain.WaitForCompletionAsync(PollWait).WaitAsync(cancellationToken);
        }
        while (!status.IsFinished);

        var snapshot = await GetSnapshotAsync(cancellationToken);
        if (snapshot.State is FlowState.Reverted or FlowState.Failure)
        {
            // The execute failure that started the revert; atoms are in definition order, so when several tasks failed
            // at once the choice is still stable. Revert failures are in Failures only.
            var cause = snapshot.Atoms.FirstOrDefault(atom => atom.Failure is not null)?.Failure;
            throw new FlowFailedException(FlowId, snapshot.State, snapshot.Failures, cause);
        }

        return new FlowResult(snapshot);
    }

    /// <summary>Every state change of the run as it happens, from the first, until the run finishes.</summary>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The events, in order; TaskFlow's trace form is their <c>ToString()</c>.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public IAsyncEnumerable<FlowEvent> WatchAsync(CancellationToken cancellationToken = default) => WatchAsync(0, cancellationToken);

    /// <summary>The run's state changes after a given event, as they happen, until the run finishes.</summary>
    /// <remarks>To show a run and then follow it, read a snapshot and watch from its <see cref="FlowSnapshot.EventSequence"/>:
    /// the events are then the changes made after the snapshot.</remarks>
    /// <param name="afterSequence">The <see cref="FlowEvent.Sequence"/> to watch after; 0 for every event still kept.</param>
    /// <param name="cancellationToken">Stops watching (the flow goes on).</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    public async IAsyncEnumerable<FlowEvent> WatchAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = afterSequence;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await _grain.GetEventsAsync(after, PollWait).WaitAsync(cancellationToken);
            foreach (var flowEvent in batch.Events)
            {
                after = flowEvent.Sequence;
                yield return flowEvent;
            }

            if (batch.Status.IsFinished && batch.Events.IsEmpty)
            {
                yield break;
            }
        }
    }
}
