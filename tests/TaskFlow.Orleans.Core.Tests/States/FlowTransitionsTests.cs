using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.States;

public sealed class FlowTransitionsTests
{
    // TaskFlow's states.check_flow_transition: 17 allowed pairs.
    public static TheoryData<FlowState, FlowState> Allowed => new()
    {
        { FlowState.Pending, FlowState.Running },
        { FlowState.Running, FlowState.Success },
        { FlowState.Running, FlowState.Failure },
        { FlowState.Running, FlowState.Reverted },
        { FlowState.Running, FlowState.Suspending },
        { FlowState.Running, FlowState.Resuming },
        { FlowState.Success, FlowState.Running },
        { FlowState.Success, FlowState.Pending },
        { FlowState.Failure, FlowState.Running },
        { FlowState.Reverted, FlowState.Pending },
        { FlowState.Suspending, FlowState.Suspended },
        { FlowState.Suspending, FlowState.Success },
        { FlowState.Suspending, FlowState.Failure },
        { FlowState.Suspending, FlowState.Reverted },
        { FlowState.Suspending, FlowState.Resuming },
        { FlowState.Suspended, FlowState.Running },
        { FlowState.Resuming, FlowState.Suspended },
    };

    // From any of PENDING, FAILURE, SUCCESS, SUSPENDED, REVERTED to any of SUSPENDING, SUSPENDED, RESUMING, except itself: 14 pairs.
    public static TheoryData<FlowState, FlowState> Ignored => new()
    {
        { FlowState.Pending, FlowState.Suspending },
        { FlowState.Pending, FlowState.Suspended },
        { FlowState.Pending, FlowState.Resuming },
        { FlowState.Failure, FlowState.Suspending },
        { FlowState.Failure, FlowState.Suspended },
        { FlowState.Failure, FlowState.Resuming },
        { FlowState.Success, FlowState.Suspending },
        { FlowState.Success, FlowState.Suspended },
        { FlowState.Success, FlowState.Resuming },
        { FlowState.Suspended, FlowState.Suspending },
        { FlowState.Suspended, FlowState.Resuming },
        { FlowState.Reverted, FlowState.Suspending },
        { FlowState.Reverted, FlowState.Suspended },
        { FlowState.Reverted, FlowState.Resuming },
    };

    public static TheoryData<FlowState, FlowState, string, string> IllegalSample => new()
    {
        { FlowState.Pending, FlowState.Success, "PENDING", "SUCCESS" },
        { FlowState.Pending, FlowState.Reverted, "PENDING", "REVERTED" },
        { FlowState.Running, FlowState.Pending, "RUNNING", "PENDING" },
        { FlowState.Success, FlowState.Failure, "SUCCESS", "FAILURE" },
        { FlowState.Failure, FlowState.Reverted, "FAILURE", "REVERTED" },
        { FlowState.Reverted, FlowState.Running, "REVERTED", "RUNNING" },
        { FlowState.Suspended, FlowState.Success, "SUSPENDED", "SUCCESS" },
        { FlowState.Resuming, FlowState.Running, "RESUMING", "RUNNING" },
        { FlowState.Suspending, FlowState.Running, "SUSPENDING", "RUNNING" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Check_AllowedTransition_ReturnsTrue(FlowState from, FlowState to)
    {
        Assert.True(FlowTransitions.Check(from, to));
        Assert.False(FlowTransitions.IsIgnored(from, to));
    }

    [Fact]
    public void AllowedTransitions_ListsExactlyTaskFlowsSeventeenPairs()
    {
        var expected = Allowed.Select(row => ((FlowState)row[0], (FlowState)row[1])).ToHashSet();

        Assert.Equal(17, FlowTransitions.AllowedTransitions.Count);
        Assert.True(expected.SetEquals(FlowTransitions.AllowedTransitions));
    }

    [Theory]
    [MemberData(nameof(Ignored))]
    public void Check_IgnoredTransition_ReturnsFalseWithoutThrowing(FlowState from, FlowState to)
    {
        Assert.False(FlowTransitions.Check(from, to));
        Assert.True(FlowTransitions.IsIgnored(from, to));
    }

    [Theory]
    [InlineData(FlowState.Pending)]
    [InlineData(FlowState.Running)]
    [InlineData(FlowState.Success)]
    [InlineData(FlowState.Failure)]
    [InlineData(FlowState.Reverted)]
    [InlineData(FlowState.Suspending)]
    [InlineData(FlowState.Suspended)]
    [InlineData(FlowState.Resuming)]
    public void Check_SameState_ReturnsFalse(FlowState state)
    {
        Assert.False(FlowTransitions.Check(state, state));
        Assert.False(FlowTransitions.IsIgnored(state, state));
    }

    [Theory]
    [MemberData(nameof(IllegalSample))]
    public void Check_IllegalTransition_ThrowsNamingBothStates(FlowState from, FlowState to, string fromName, string toName)
    {
        var exception = Assert.Throws<InvalidStateTransitionException>(() => FlowTransitions.Check(from, to));

        Assert.Equal(fromName, exception.From);
        Assert.Equal(toName, exception.To);
        Assert.Contains($"from {fromName} to {toName}", exception.Message);
        Assert.Contains("flow", exception.Message);
    }

    [Fact]
    public void Check_EveryOtherPair_Throws()
    {
        var allowed = Allowed.Select(row => ((FlowState)row[0], (FlowState)row[1])).ToHashSet();
        var ignored = Ignored.Select(row => ((FlowState)row[0], (FlowState)row[1])).ToHashSet();
        var illegal = 0;
        foreach (var from in Enum.GetValues<FlowState>())
        {
            foreach (var to in Enum.GetValues<FlowState>())
            {
                if (from == to || allowed.Contains((from, to)) || ignored.Contains((from, to)))
                {
                    continue;
                }

                illegal++;
                Assert.Throws<InvalidStateTransitionException>(() => FlowTransitions.Check(from, to));
            }
        }

        // 8 x 8 pairs, less 8 same-state, 17 allowed and 14 ignored.
        Assert.Equal(25, illegal);
    }
}
