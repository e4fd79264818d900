using System.Collections.Concurrent;

namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>
/// Gates that hold a <see cref="Tasks.GatedTask"/> until the test opens them, so a test can look at a flow while a task
/// is running without guessing how long to wait. One gate per (flow id, atom name).
/// </summary>
public static class TaskGates
{
    /// <summary>The longest a gated task waits before it gives up (it then fails with a <see cref="TimeoutException"/>), so nothing hangs.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<(string FlowId, string AtomName), Gate> Gates = new();

    /// <summary>Called by a gated task: notes that it started, then waits until the gate opens.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the gate opens.</returns>
    /// <exception cref="TimeoutException">The gate did not open within <see cref="MaxWait"/>.</exception>
    public static async Task PassAsync(string flowId, string atomName, CancellationToken cancellationToken = default)
    {
        var gate = Get(flowId, atomName);
        Interlocked.Increment(ref gate.Entries);
        gate.Entered.TrySetResult();
        await gate.Opened.Task.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until a gated task has started (at least once).</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    /// <returns>Completes when it has started.</returns>
    public static Task WaitEnteredAsync(string flowId, string atomName) => Get(flowId, atomName).Entered.Task;

    /// <summary>How many times a gated task has started (a re-dispatch after a deactivation starts it again).</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    /// <returns>The count.</returns>
    public static int EntryCount(string flowId, string atomName) => Volatile.Read(ref Get(flowId, atomName).Entries);

    /// <summary>Lets every waiting and future call of a gated task carry on.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    public static void Open(string flowId, string atomName) => Get(flowId, atomName).Opened.TrySetResult();

    private static Gate Get(string flowId, string atomName) => Gates.GetOrAdd((flowId, atomName), static _ => new Gate());

    private sealed class Gate
    {
        public int Entries;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
