using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;

namespace TaskFlow.Orleans.Core.Tests.Retries;

/// <summary>TaskFlow's built-in retries (<c>retry.py</c>) and <c>History</c>, as pure functions of the history.</summary>
public sealed class RetryControllerTests
{
    private static readonly Dictionary<string, object?> NoArguments = [];
    private static readonly Failure Woot = Failure.FromException(new RuntimeError("Woot!"));

    private static RetryHistory Attempts(params object?[] provided) =>
        provided.Aggregate(RetryHistory.Empty, (history, value) => history.WithAttempt(value).WithFailure("t", Woot));

    [Fact]
    public void AlwaysRevert_ProvidesNothingAndReverts()
    {
        var controller = new AlwaysRevertController();

        Assert.Null(controller.Execute(RetryHistory.Empty, NoArguments));
        Assert.Equal(RetryDecision.Revert, controller.OnFailure(Attempts([null]), NoArguments));
    }

    [Fact]
    public void AlwaysRevertAll_RevertsAll()
    {
        Assert.Equal(RetryDecision.RevertAll, new AlwaysRevertAllController().OnFailure(Attempts([null]), NoArguments));
    }

    [Theory]
    [InlineData(0, 1, RetryDecision.Revert)]
    [InlineData(3, 1, RetryDecision.Retry)]
    [InlineData(3, 2, RetryDecision.Retry)]
    [InlineData(3, 3, RetryDecision.Revert)]
    public void Times_RetriesWhileFewerAttemptsThanAllowed(int attempts, int made, RetryDecision expected)
    {
        var history = Attempts([.. Enumerable.Range(1, made).Cast<object?>()]);

        Assert.Equal(expected, new TimesController(attempts).OnFailure(history, NoArguments));
        Assert.Equal(made + 1, new TimesController(attempts).Execute(history, NoArguments));
    }

    [Fact]
    public void Times_WithRevertAll_GivesUpWithRevertAll()
    {
        Assert.Equal(RetryDecision.RevertAll, new TimesController(1, revertAll: true).OnFailure(Attempts(1), NoArguments));
    }

    [Fact]
    public void ForEach_EachTriedValueUsesUpOneOccurrence()
    {
        var controller = new ForEachController("r", [3, 2, 3, 5]);

        Assert.Equal(3, controller.Execute(Attempts(), NoArguments));
        Assert.Equal(2, controller.Execute(Attempts(3), NoArguments));
        Assert.Equal(3, controller.Execute(Attempts(3, 2), NoArguments));
        Assert.Equal(5, controller.Execute(Attempts(3, 2, 3), NoArguments));
        Assert.Equal(RetryDecision.Retry, controller.OnFailure(Attempts(3, 2, 3), NoArguments));
        Assert.Equal(RetryDecision.Revert, controller.OnFailure(Attempts(3, 2, 3, 5), NoArguments));
    }

    [Fact]
    public void ForEach_NothingLeft_ExecuteFailsAsTaskFlowsNotFound()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ForEachController("r1", [1]).Execute(Attempts(1), NoArguments));

        Assert.Equal("No elements left in collection of iterable retry controller 'r1'.", exception.Message);
    }

    [Fact]
    public void ParameterizedForEach_ReadsTheValuesArgument()
    {
        var controller = RetryControllers.CreateBuiltIn(Retry.ParameterizedForEach(revertAll: true), "r");
        var arguments = new Dictionary<string, object?> { ["values"] = new[] { "a", "b" } };

        Assert.Equal("b", controller.Execute(Attempts("a"), arguments));
        Assert.Equal(RetryDecision.RevertAll, controller.OnFailure(Attempts("a", "b"), arguments));
    }

    [Fact]
    public void ParameterizedForEach_ValuesNotAList_FailsClearly()
    {
        var controller = RetryControllers.CreateBuiltIn(Retry.ParameterizedForEach(), "r");

        var exception = Assert.Throws<InvalidOperationException>(() => controller.Execute(RetryHistory.Empty, new Dictionary<string, object?> { ["values"] = 42 }));

        Assert.Contains("needs a list of values", exception.Message);
    }

    [Fact]
    public void CreateBuiltIn_Custom_Throws()
    {
        Assert.Throws<ArgumentException>(() => RetryControllers.CreateBuiltIn(Retry.Custom("mine"), "r"));
    }

    [Fact]
    public void RetryHistory_RecordsAttemptsFailuresOnceAndAnswersCausedBy()
    {
        var history = RetryHistory.Empty
            .WithAttempt(1).WithFailure("a", Woot).WithFailure("a", Failure.Create("Other", "ignored"))
            .WithAttempt(2).WithFailure("b", Failure.FromException(new ValueError("bad")));

        Assert.Equal(2, history.Count);
        Assert.Equal([1, 2], history.ProvidedValues);
        Assert.Equal("Woot!", history[0].Failures["a"].Message);
        Assert.Equal(["a", "b"], history.Outcomes().Select(o => o.AtomName));
        Assert.Equal(["b"], history.Outcomes(1).Select(o => o.AtomName));
        Assert.True(history.CausedBy("RuntimeError"));
        Assert.False(history.CausedBy("RuntimeError", index: 1));
        Assert.True(history.CausedBy("ValueError", index: 1));
    }

    [Fact]
    public void RetryHistory_FailureWithoutAttempt_IsNotRecorded()
    {
        Assert.Same(RetryHistory.Empty, RetryHistory.Empty.WithFailure("a", Woot));
    }

    [Fact]
    public void RetryHistory_NewAttempt_ClearsTheRetrysOwnFailure()
    {
        var failed = RetryHistory.Empty with { Failure = Woot };

        Assert.True(failed.CausedBy("RuntimeError", includeRetry: true));
        Assert.Null(failed.WithAttempt(1).Failure);
    }
}
