using TaskFlow.Orleans.Core.States;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.States;

public sealed class AtomTransitionsTests
{
    // TaskFlow's states.check_task_transition: 10 pairs.
    public static TheoryData<AtomState, AtomState> TaskAllowed => new()
    {
        { AtomState.Pending, AtomState.Running },
        { AtomState.Pending, AtomState.Ignore },
        { AtomState.Running, AtomState.Success },
        { AtomState.Running, AtomState.Failure },
        { AtomState.Success, AtomState.Reverting },
        { AtomState.Failure, AtomState.Reverting },
        { AtomState.Reverting, AtomState.Reverted },
        { AtomState.Reverting, AtomState.RevertFailure },
        { AtomState.Reverted, AtomState.Pending },
        { AtomState.Ignore, AtomState.Pending },
    };

    // check_retry_transition: the task pairs plus SUCCESS -> RETRYING and RETRYING -> RUNNING.
    public static TheoryData<AtomState, AtomState> RetryAllowed
    {
        get
        {
            var data = new TheoryData<AtomState, AtomState>();
            foreach (var row in TaskAllowed)
            {
                data.Add((AtomState)row[0], (AtomState)row[1]);
            }

            data.Add(AtomState.Success, AtomState.Retrying);
            data.Add(AtomState.Retrying, AtomState.Running);
            return data;
        }
    }

    public static TheoryData<AtomState, AtomState, string, string> IllegalSample => new()
    {
        { AtomState.Pending, AtomState.Success, "PENDING", "SUCCESS" },
        { AtomState.Pending, AtomState.Reverting, "PENDING", "REVERTING" },
        { AtomState.Running, AtomState.Reverting, "RUNNING", "REVERTING" },
        { AtomState.Running, AtomState.Pending, "RUNNING", "PENDING" },
        { AtomState.Success, AtomState.Failure, "SUCCESS", "FAILURE" },
        { AtomState.Reverted, AtomState.Running, "REVERTED", "RUNNING" },
        { AtomState.RevertFailure, AtomState.Pending, "REVERT_FAILURE", "PENDING" },
        { AtomState.RevertFailure, AtomState.Reverting, "REVERT_FAILURE", "REVERTING" },
        { AtomState.Ignore, AtomState.Running, "IGNORE", "RUNNING" },
    };

    [Theory]
    [MemberData(nameof(TaskAllowed))]
    public void Check_AllowedTaskTransition_ReturnsTrue(AtomState from, AtomState to)
    {
        Assert.True(AtomTransitions.Check("t", from, to));
        Assert.True(AtomTransitions.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(RetryAllowed))]
    public void Check_AllowedRetryTransition_ReturnsTrue(AtomState from, AtomState to)
    {
        Assert.True(AtomTransitions.Check("r", from, to, isRetry: true));
        Assert.True(AtomTransitions.IsAllowedForRetry(from, to));
    }

    [Fact]
    public void TaskTransitions_ListsExactlyTaskFlowsTenPairs()
    {
        var expected = TaskAllowed.Select(row => ((AtomState)row[0], (AtomState)row[1])).ToHashSet();

        Assert.Equal(10, AtomTransitions.TaskTransitions.Count);
        Assert.True(expected.SetEquals(AtomTransitions.TaskTransitions));
    }

    [Fact]
    public void RetryTransitions_ListsExactlyTaskFlowsTwelvePairs()
    {
        var expected = RetryAllowed.Select(row => ((AtomState)row[0], (AtomState)row[1])).ToHashSet();

        Assert.Equal(12, AtomTransitions.RetryTransitions.Count);
        Assert.True(expected.SetEquals(AtomTransitions.RetryTransitions));
    }

    [Theory]
    [InlineData(AtomState.Success, AtomState.Retrying)]
    [InlineData(AtomState.Retrying, AtomState.Running)]
    public void Check_RetryOnlyTransitionOnTask_Throws(AtomState from, AtomState to)
    {
        Assert.False(AtomTransitions.IsAllowed(from, to));
        Assert.Throws<InvalidStateTransitionException>(() => AtomTransitions.Check("t", from, to));
    }

    [Fact]
    public void Check_SameState_ReturnsFalseForEveryState()
    {
        foreach (var state in Enum.GetValues<AtomState>())
        {
            Assert.False(AtomTransitions.Check("t", state, state));
            Assert.False(AtomTransitions.Check("r", state, state, isRetry: true));
        }
    }

    [Theory]
    [MemberData(nameof(IllegalSample))]
    public void Check_IllegalTransition_ThrowsNamingAtomAndBothStates(AtomState from, AtomState to, string fromName, string toName)
    {
        var exception = Assert.Throws<InvalidStateTransitionException>(() => AtomTransitions.Check("allocate-ip", from, to));

        Assert.Equal("atom 'allocate-ip'", exception.Subject);
        Assert.Equal(fromName, exception.From);
        Assert.Equal(toName, exception.To);
        Assert.Contains($"atom 'allocate-ip' from {fromName} to {toName}", exception.Message);
    }

    [Fact]
    public void Check_EveryPairOutsideTheTables_Throws()
    {
        // The engine's flat lookup table must agree with the documented sets for all 81 pairs.
        var task = TaskAllowed.Select(row => ((AtomState)row[0], (AtomState)row[1])).ToHashSet();
        var retry = RetryAllowed.Select(row => ((AtomState)row[0], (AtomState)row[1])).ToHashSet();
        var illegalForTask = 0;
        var illegalForRetry = 0;
        foreach (var from in Enum.GetValues<AtomState>())
        {
            foreach (var to in Enum.GetValues<AtomState>())
            {
                if (from == to)
                {
                    continue;
                }

                if (!task.Contains((from, to)))
                {
                    illegalForTask++;
                    Assert.Throws<InvalidStateTransitionException>(() => AtomTransitions.Check("t", from, to));
                }

                if (!retry.Contains((from, to)))
                {
                    illegalForRetry++;
                    Assert.Throws<InvalidStateTransitionException>(() => AtomTransitions.Check("r", from, to, isRetry: true));
                }
            }
        }

        Assert.Equal(72 - 10, illegalForTask);
        Assert.Equal(72 - 12, illegalForRetry);
    }
}
