namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>
/// The test kit's gates (<see cref="global::TaskFlow.Orleans.Testing.TaskGates"/>) as one process-wide instance, for the
/// test tasks (<see cref="Tasks.GatedTask"/> ...) and fixtures built on Orleans' TestCluster: they call it statically rather
/// than injecting a cluster's gates. One gate per (flow id, name).
/// </summary>
public static class TaskGates
{
    /// <summary>The gates every test silo of this process shares.</summary>
    public static global::TaskFlow.Orleans.Testing.TaskGates Shared { get; } = new();

    /// <summary>The longest a gated task waits before it gives up (it then fails with a <see cref="TimeoutException"/>), so nothing hangs.</summary>
    public static TimeSpan MaxWait => Shared.MaxWait;

    /// <summary>Called by a gated task: notes that it started, then waits until the gate opens.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom (or gate name).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the gate opens.</returns>
    /// <exception cref="TimeoutException">The gate did not open within <see cref="MaxWait"/>.</exception>
    public static Task PassAsync(string flowId, string atomName, CancellationToken cancellationToken = default) =>
        Shared.PassAsync(flowId, atomName, cancellationToken);

    /// <summary>Waits until a gated task has started (at least once); callers bound it with their own timeout.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom (or gate name).</param>
    /// <returns>Completes when it has started.</returns>
    public static Task WaitEnteredAsync(string flowId, string atomName) => Shared.WaitEnteredAsync(flowId, atomName, Timeout.InfiniteTimeSpan);

    /// <summary>How many times a gated task has started (a re-dispatch after a deactivation starts it again).</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom (or gate name).</param>
    /// <returns>The count.</returns>
    public static int EntryCount(string flowId, string atomName) => Shared.EntryCount(flowId, atomName);

    /// <summary>Lets every waiting and future call of a gated task carry on.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom (or gate name).</param>
    public static void Open(string flowId, string atomName) => Shared.Open(flowId, atomName);
}
