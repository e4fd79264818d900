using System.Collections.Concurrent;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Testing;

/// <summary>Gates that hold a task in the middle of its execute (or revert) until the test opens them, so a test can look
/// at a run, or kill its silo, while a task is running, without guessing how long to wait. One gate per run and name.</summary>
/// <remarks>
/// A <see cref="TaskFlowTestCluster"/> registers its gates as a singleton in every silo's services: a task under test takes
/// <see cref="TaskGates"/> in its constructor and awaits <see cref="PassAsync(TaskContext, CancellationToken)"/>; the test
/// awaits <see cref="WaitEnteredAsync"/>, does what it needs, then calls <see cref="Open"/>.
/// <code>
/// public sealed class Provision(TaskGates gates) : FlowTask
/// {
///     public async Task&lt;string&gt; ExecuteAsync(CancellationToken cancellationToken)
///     {
///         await gates.PassAsync(Context, cancellationToken); // held here until the test opens the gate
///         return "vm-1";
///     }
/// }
/// </code>
/// A gate that is never opened releases its task with a <see cref="TimeoutException"/> after <see cref="MaxWait"/>, so a
/// failing test never hangs.
/// </remarks>
public sealed class TaskGates
{
    private readonly ConcurrentDictionary<(string FlowId, string Name), Gate> _gates = new();

    /// <summary>The longest a task waits at a gate before it gives up with a <see cref="TimeoutException"/>.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called by a task: notes that it reached the gate named after its atom, then waits until the test opens it.</summary>
    /// <param name="context">The task's context (<c>FlowTask.Context</c>): the run's id and the atom's name pick the gate.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the gate opens.</returns>
    /// <exception cref="TimeoutException">The gate did not open within <see cref="MaxWait"/>.</exception>
    public Task PassAsync(TaskContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PassAsync(context.FlowId, context.AtomName, cancellationToken);
    }

    /// <summary>Called by a task: notes that it reached a named gate of a run, then waits until the test opens it.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="name">The gate's name (usually the atom's).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the gate opens.</returns>
    /// <exception cref="TimeoutException">The gate did not open within <see cref="MaxWait"/>.</exception>
    public async Task PassAsync(string flowId, string name, CancellationToken cancellationToken = default)
    {
        var gate = Get(flowId, name);
        Interlocked.Increment(ref gate.Entries);
        gate.Entered.TrySetResult();
        try
        {
            await gate.Opened.Task.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Gate '{name}' of run '{flowId}' was not opened within {MaxWait.TotalSeconds:0.#} s: call TaskGates.Open(\"{flowId}\", \"{name}\") in the test.");
        }
    }

    /// <summary>Waits until a task has reached the gate (at least once).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="name">The gate's name.</param>
    /// <param name="timeout">The longest to wait; 30 seconds when not given.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when a task is at the gate.</returns>
    /// <exception cref="TimeoutException">No task reached the gate in time.</exception>
    public async Task WaitEnteredAsync(string flowId, string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TaskFlowTestCluster.DefaultTimeout;
        try
        {
            await Get(flowId, name).Entered.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No task reached gate '{name}' of run '{flowId}' within {limit.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>How many times tasks reached the gate (an execute re-dispatched after a silo died reaches it again).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="name">The gate's name.</param>
    /// <returns>The count.</returns>
    public int EntryCount(string flowId, string name) => Volatile.Read(ref Get(flowId, name).Entries);

    /// <summary>Lets every waiting and every later task at the gate carry on.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="name">The gate's name.</param>
    public void Open(string flowId, string name) => Get(flowId, name).Opened.TrySetResult();

    private Gate Get(string flowId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(flowId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _gates.GetOrAdd((flowId, name), static _ => new Gate());
    }

    private sealed class Gate
    {
        public int Entries;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
