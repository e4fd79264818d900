using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.States;

/// <summary>TaskFlow's flow state machine (<c>states.check_flow_transition</c>), exactly.</summary>
/// <remarks>
/// <para>17 allowed transitions; 14 ignored ones (a no-op, so suspending a finished flow is harmless); everything else throws.</para>
/// <list type="table">
/// <listheader><term>from</term><description>allowed targets</description></listheader>
/// <item><term>PENDING</term><description>RUNNING</description></item>
/// <item><term>RUNNING</term><description>SUCCESS, FAILURE, REVERTED, SUSPENDING, RESUMING</description></item>
/// <item><term>SUCCESS</term><description>RUNNING, PENDING</description></item>
/// <item><term>FAILURE</term><description>RUNNING</description></item>
/// <item><term>REVERTED</term><description>PENDING</description></item>
/// <item><term>SUSPENDING</term><description>SUSPENDED, SUCCESS, FAILURE, REVERTED, RESUMING</description></item>
/// <item><term>SUSPENDED</term><description>RUNNING</description></item>
/// <item><term>RESUMING</term><description>SUSPENDED</description></item>
/// </list>
/// <para>Ignored: from any of PENDING, FAILURE, SUCCESS, SUSPENDED, REVERTED to any of SUSPENDING, SUSPENDED, RESUMING (other than itself).</para>
/// </remarks>
internal static class FlowTransitions
{
    private static readonly HashSet<(FlowState, FlowState)> Allowed =
    [
        (FlowState.Pending, FlowState.Running),
        (FlowState.Running, FlowState.Success),
        (FlowState.Running, FlowState.Failure),
        (FlowState.Running, FlowState.Reverted),
        (FlowState.Running, FlowState.Suspending),
        (FlowState.Running, FlowState.Resuming),
        (FlowState.Success, FlowState.Running),
        (FlowState.Success, FlowState.Pending),
        (FlowState.Failure, FlowState.Running),
        (FlowState.Reverted, FlowState.Pending),
        (FlowState.Suspending, FlowState.Suspended),
        (FlowState.Suspending, FlowState.Success),
        (FlowState.Suspending, FlowState.Failure),
        (FlowState.Suspending, FlowState.Reverted),
        (FlowState.Suspending, FlowState.Resuming),
        (FlowState.Suspended, FlowState.Running),
        (FlowState.Resuming, FlowState.Suspended),
    ];

    private static readonly FlowState[] IgnoredFrom =
        [FlowState.Pending, FlowState.Failure, FlowState.Success, FlowState.Suspended, FlowState.Reverted];

    private static readonly FlowState[] IgnoredTo =
        [FlowState.Suspending, FlowState.Suspended, FlowState.Resuming];

    /// <summary>Every allowed (from, to) pair.</summary>
    public static IReadOnlyCollection<(FlowState From, FlowState To)> AllowedTransitions => Allowed;

    /// <summary>Checks a flow transition.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns><see langword="true"/> when it is allowed; <see langword="false"/> when it is the same state or an ignored one (do nothing).</returns>
    /// <exception cref="InvalidStateTransitionException">The transition is not allowed.</exception>
    public static bool Check(FlowState from, FlowState to)
    {
        if (from == to)
        {
            return false;
        }

        if (Allowed.Contains((from, to)))
        {
            return true;
        }

        if (IsIgnored(from, to))
        {
            return false;
        }

        throw new InvalidStateTransitionException("flow", StateNames.Of(from), StateNames.Of(to));
    }

    /// <summary>Whether a transition is one TaskFlow silently ignores (e.g. suspending a finished flow).</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns>Whether it is ignored.</returns>
    public static bool IsIgnored(FlowState from, FlowState to) =>
        from != to && Array.IndexOf(IgnoredFrom, from) >= 0 && Array.IndexOf(IgnoredTo, to) >= 0;
}
