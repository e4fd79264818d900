using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.States;

/// <summary>TaskFlow's task and retry state machines (<c>states.check_task_transition</c>, <c>check_retry_transition</c>).</summary>
/// <remarks>
/// <para>TaskFlow answers <see langword="false"/> for a disallowed task transition and skips it; here the engine never asks for
/// one, so a disallowed transition is a bug and throws. Asking for the current state is a no-op.</para>
/// <list type="table">
/// <listheader><term>from</term><description>to</description></listheader>
/// <item><term>PENDING</term><description>RUNNING, IGNORE</description></item>
/// <item><term>RUNNING</term><description>SUCCESS, FAILURE</description></item>
/// <item><term>SUCCESS</term><description>REVERTING (and RETRYING, retries only)</description></item>
/// <item><term>FAILURE</term><description>REVERTING</description></item>
/// <item><term>REVERTING</term><description>REVERTED, REVERT_FAILURE</description></item>
/// <item><term>REVERTED</term><description>PENDING</description></item>
/// <item><term>IGNORE</term><description>PENDING</description></item>
/// <item><term>RETRYING</term><description>RUNNING (retries only)</description></item>
/// </list>
/// </remarks>
internal static class AtomTransitions
{
    private static readonly HashSet<(AtomState, AtomState)> TaskAllowed =
    [
        (AtomState.Pending, AtomState.Running),
        (AtomState.Pending, AtomState.Ignore),
        (AtomState.Running, AtomState.Success),
        (AtomState.Running, AtomState.Failure),
        (AtomState.Success, AtomState.Reverting),
        (AtomState.Failure, AtomState.Reverting),
        (AtomState.Reverting, AtomState.Reverted),
        (AtomState.Reverting, AtomState.RevertFailure),
        (AtomState.Reverted, AtomState.Pending),
        (AtomState.Ignore, AtomState.Pending),
    ];

    private static readonly HashSet<(AtomState, AtomState)> RetryAllowed =
    [
        .. TaskAllowed,
        (AtomState.Success, AtomState.Retrying),
        (AtomState.Retrying, AtomState.Running),
    ];

    // Flat lookup tables for the engine's hot path (one check per transition).
    private static readonly bool[] TaskTable = ToTable(TaskAllowed);
    private static readonly bool[] RetryTable = ToTable(RetryAllowed);
    private const int StateCount = 9;

    /// <summary>The 10 allowed task transitions.</summary>
    public static IReadOnlyCollection<(AtomState From, AtomState To)> TaskTransitions => TaskAllowed;

    /// <summary>The 12 allowed retry-controller transitions.</summary>
    public static IReadOnlyCollection<(AtomState From, AtomState To)> RetryTransitions => RetryAllowed;

    /// <summary>Whether a task may move between two states.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool IsAllowed(AtomState from, AtomState to) => TaskAllowed.Contains((from, to));

    /// <summary>Whether a retry controller may move between two states.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool IsAllowedForRetry(AtomState from, AtomState to) => RetryAllowed.Contains((from, to));

    /// <summary>Checks a task transition.</summary>
    /// <param name="atomName">The atom, for the error message.</param>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <param name="isRetry">Whether the atom is a retry controller.</param>
    /// <returns><see langword="true"/> when it changes state; <see langword="false"/> when it is already in <paramref name="to"/>.</returns>
    /// <exception cref="InvalidStateTransitionException">The transition is not allowed.</exception>
    public static bool Check(string atomName, AtomState from, AtomState to, bool isRetry = false)
    {
        if (from == to)
        {
            return false;
        }

        if ((isRetry ? RetryTable : TaskTable)[((int)from * StateCount) + (int)to])
        {
            return true;
        }

        throw new InvalidStateTransitionException($"atom '{atomName}'", StateNames.Of(from), StateNames.Of(to));
    }

    private static bool[] ToTable(HashSet<(AtomState From, AtomState To)> pairs)
    {
        var table = new bool[StateCount * StateCount];
        foreach (var (from, to) in pairs)
        {
            table[((int)from * StateCount) + (int)to] = true;
        }

        return table;
    }
}
