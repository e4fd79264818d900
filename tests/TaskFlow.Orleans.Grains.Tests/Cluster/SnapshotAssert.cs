using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Compares two snapshots of one run field by field (all but <see cref="FlowSnapshot.Source"/> and live progress):
/// the engine's and the logbook's, or one taken before and one after the run's grains were deactivated.</summary>
public static class SnapshotAssert
{
    public static void Same(FlowSnapshot expected, FlowSnapshot actual)
    {
        Assert.Equal(expected.FlowId, actual.FlowId);
        Assert.Equal(expected.FlowName, actual.FlowName);
        Assert.Equal(expected.FactoryName, actual.FactoryName);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.FinishedAt, actual.FinishedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Silo, actual.Silo);
        Assert.Equal(expected.Durability, actual.Durability);
        Assert.Equal(expected.Tags.ToArray(), actual.Tags.ToArray());
        SameValues(expected.Inputs, actual.Inputs);
        SameValues(expected.Results, actual.Results);
        Assert.Equal(expected.Failures.Keys.Order(), actual.Failures.Keys.Order());
        foreach (var (name, failure) in expected.Failures)
        {
            SameFailure(failure, actual.Failures[name]);
        }

        Assert.Equal(expected.Atoms.Length, actual.Atoms.Length);
        foreach (var (want, got) in expected.Atoms.Zip(actual.Atoms))
        {
            Assert.Equal(want.Id, got.Id);
            Assert.Equal(want.Name, got.Name);
            Assert.Equal(want.TaskName, got.TaskName);
            Assert.Equal(want.IsRetry, got.IsRetry);
            Assert.Equal(want.State, got.State);
            Assert.Equal(want.Intention, got.Intention);
            Assert.Equal(want.Result, got.Result);
            SameFailure(want.Failure, got.Failure);
            SameFailure(want.RevertFailure, got.RevertFailure);
            Assert.Equal(want.StartedAt, got.StartedAt);
            Assert.Equal(want.FinishedAt, got.FinishedAt);
            Assert.Equal(want.RanOn, got.RanOn);
            Assert.Equal(want.Attempt, got.Attempt);
            Assert.Equal(want.Calls, got.Calls);
            Assert.Equal(want.Requires.ToArray(), got.Requires.ToArray());
            Assert.Equal(want.Provides.ToArray(), got.Provides.ToArray());
            SameValues(want.Arguments, got.Arguments);
            SameHistory(want.RetryHistory, got.RetryHistory);
        }
    }

    public static void SameValues(IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, object?> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, actual[name]);
        }
    }

    public static void SameHistory(RetryHistory? expected, RetryHistory? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.Count, actual.Count);
        SameFailure(expected.Failure, actual.Failure);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Provided, actual[i].Provided);
            Assert.Equal(expected[i].Failures.Keys.Order(), actual[i].Failures.Keys.Order());
            foreach (var (atom, failure) in expected[i].Failures)
            {
                SameFailure(failure, actual[i].Failures[atom]);
            }
        }
    }

    public static void SameFailure(Failure? expected, Failure? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.ExceptionTypeNames.ToArray(), actual.ExceptionTypeNames.ToArray());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.StackTrace, actual.StackTrace);
        SameFailure(expected.Cause, actual.Cause);
    }
}
