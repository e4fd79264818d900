using Orleans.Concurrency;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains;

/// <summary>
/// The engine of one flow run, keyed by flow id: compiles the flow, owns the flow's and every atom's state,
/// dispatches atoms to executors, and persists its progress so the run survives its silo.
/// </summary>
/// <remarks>Queries interleave with the run: a snapshot is answered while tasks are executing.</remarks>
[Alias("taskflow.IFlowGrain")]
public interface IFlowGrain : IGrainWithStringKey
{
    /// <summary>Validates, compiles and starts the run.</summary>
    /// <param name="request">The definition or factory name, and the inputs.</param>
    /// <returns>The run's status once it is accepted and durable.</returns>
    /// <exception cref="FlowCompilationException">The definition is invalid; nothing was stored.</exception>
    /// <exception cref="TaskNotRegisteredException">The factory name is not registered on the silo.</exception>
    /// <exception cref="FlowAlreadyExistsException">A run with this id already exists.</exception>
    [Alias("start")]
    Task<FlowStatus> StartAsync(FlowStartRequest request);

    /// <summary>The run's state, each atom's state, result or failure and timings.</summary>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("get-snapshot"), AlwaysInterleave]
    Task<FlowSnapshot> GetSnapshotAsync();

    /// <summary>The run's snapshot with a page of its atoms: <paramref name="take"/> atoms from position <paramref name="skip"/>,
    /// in definition order; the run's state, totals and failures are whole, its results those the page's atoms provide.</summary>
    /// <param name="skip">How many atoms to skip (0 or more).</param>
    /// <param name="take">How many atoms to return, from 1 to <see cref="Snapshots.FlowSnapshot.MaxPageSize"/>.</param>
    /// <returns>The snapshot; <see cref="Snapshots.FlowSnapshot.AtomCount"/> says how many atoms there are in all.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skip"/> or <paramref name="take"/> is out of range.</exception>
    [Alias("get-snapshot-page"), AlwaysInterleave]
    Task<FlowSnapshot> GetSnapshotPageAsync(int skip, int take);

    /// <summary>The snapshot, under the name the Orleans dashboard calls to show a grain's state.</summary>
    /// <returns>The snapshot.</returns>
    [Alias("get-state"), AlwaysInterleave]
    Task<FlowSnapshot> GetState();

    /// <summary>The run's short status.</summary>
    /// <returns>The status.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("get-status"), AlwaysInterleave]
    Task<FlowStatus> GetStatusAsync();

    /// <summary>Waits until the run finishes (and its outcome is durable), or until <paramref name="maxWait"/> passes.</summary>
    /// <param name="maxWait">The longest to wait (at most 20 s; the call's own response timeout is one minute).</param>
    /// <returns>The status: finished, or still running when the wait ran out.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("wait"), AlwaysInterleave, ResponseTimeout("00:01:00")]
    Task<FlowStatus> WaitForCompletionAsync(TimeSpan maxWait);

    /// <summary>The state changes after <paramref name="afterSequence"/>, waiting up to <paramref name="maxWait"/> for one.</summary>
    /// <param name="afterSequence">The last sequence number already seen (0 for all).</param>
    /// <param name="maxWait">The longest to wait for a new event.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("get-events"), AlwaysInterleave, ResponseTimeout("00:01:00")]
    Task<FlowEventBatch> GetEventsAsync(long afterSequence, TimeSpan maxWait);

    /// <summary>Asks the run to suspend: running atoms finish, nothing new starts, and it ends SUSPENDED (TaskFlow's suspend).</summary>
    /// <returns>The status after the request; suspending a finished run is harmless and changes nothing.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("suspend")]
    Task<FlowStatus> SuspendAsync();

    /// <summary>Resumes a SUSPENDED run where it stopped.</summary>
    /// <returns>The status after the request; resuming a run that is not suspended changes nothing.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("resume")]
    Task<FlowStatus> ResumeAsync();

    /// <summary>Cancels the run: running atoms finish, everything that ran is reverted, and it ends REVERTED.</summary>
    /// <param name="reason">Why, recorded as the run's failure.</param>
    /// <returns>The status after the request; cancelling a finished run changes nothing.</returns>
    /// <exception cref="FlowNotFoundException">No run has this id.</exception>
    [Alias("cancel")]
    Task<FlowStatus> CancelAsync(string? reason);

    /// <summary>Deletes the finished run from its logbook and the run index, and forgets it: afterwards the id names no run
    /// (<see cref="FlowNotFoundException"/>) until a new run is started with it.</summary>
    /// <remarks>Goes through the run's engine, so an active engine never answers with, or writes back, the purged run: it
    /// forgets the run and deactivates, and so does the run's logbook grain. The delete itself is conditional in the store:
    /// a run the store does not hold as finished is never deleted.</remarks>
    /// <returns><see langword="true"/> when the run was deleted; <see langword="false"/> when no run has this id.</returns>
    /// <exception cref="FlowNotFinishedException">The run has not finished (it is running, suspended or resuming); nothing
    /// was deleted.</exception>
    [Alias("purge")]
    Task<bool> PurgeAsync();

    /// <summary>Records a running task's progress (sent by executors; not awaited). Silos only (<see cref="SiloOnlyAttribute"/>):
    /// a report from an external client is refused, and, the call being one-way, dropped.</summary>
    /// <param name="atomName">The atom.</param>
    /// <param name="executionId">The execution reporting; reports of an older attempt are ignored.</param>
    /// <param name="sequence">Increases with each report of one execution; a report older than one already applied is ignored.</param>
    /// <param name="progress">From 0 to 1.</param>
    /// <param name="details">What is happening.</param>
    /// <returns>A completed task.</returns>
    [Alias("report-progress"), OneWay, AlwaysInterleave, SiloOnly]
    Task ReportProgressAsync(string atomName, string executionId, long sequence, double progress, string? details);
}
