using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>
/// The tasks and retries of TaskFlow's <c>taskflow/tests/utils.py</c>, registered under kebab-case names, so ported scenarios
/// read like the originals: <c>progressing</c> returns 5, <c>conditional</c> fails unless x == y, and so on.
/// </summary>
internal static class TaskFlowTasks
{
    /// <summary>A catalog with every test task, and the test retry controllers registered.</summary>
    public static FakeTaskCatalog Catalog() => new FakeTaskCatalog()
        // TaskNoRequiresNoReturns, NoopTask.
        .Task("noop")
        // ProgressingTask.
        .Task("progressing", execute: _ => 5)
        // FailingTask.
        .Task("failing", execute: _ => throw new RuntimeError("Woot!"))
        // NastyTask: its revert fails.
        .Task("nasty", revert: _ => throw new RuntimeError("Gotcha!"))
        // NastyFailingTask.
        .Task("nasty-failing", execute: _ => throw new RuntimeError("Woot!"), revert: _ => throw new RuntimeError("Gotcha!"))
        // ConditionalTask(x, y): fails unless x == y.
        .Task("conditional", required: ["x", "y"], execute: args => Equals(args["x"], args["y"]) ? null : throw new RuntimeError("Woot!"))
        // FailingTaskWithOneArg(x).
        .Task("failing-with-one-arg", required: ["x"], execute: args => throw new RuntimeError($"Woot with {EngineDriver.Show(args["x"])}"))
        // TaskMultiArgOneReturn(x, y, z) = x + y + z.
        .Task("multi-arg-one-return", required: ["x", "y", "z"], execute: args => (int)args["x"]! + (int)args["y"]! + (int)args["z"]!)
        // AddOneSameProvidesRequires(value) = value + 1, provides value.
        .Task("add-one-same", required: ["value"], provides: ["value"], execute: args => (int)args["value"]! + 1)
        // OneReturnRetry: AlwaysRevert that provides 1.
        .RetryController("one-return", new OneReturnRetry())
        // RetryFiveTimes: Times that retries while fewer than 5 attempts, then REVERT_ALL.
        .RetryController("retry-five-times", new RetryFiveTimes())
        // AlwaysRetry: Times that always retries.
        .RetryController("always-retry", new AlwaysRetry());

    public static Dictionary<string, object?> Inputs(params (string Name, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private sealed class OneReturnRetry : IRetryController
    {
        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => 1;

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => RetryDecision.Revert;
    }

    private sealed class RetryFiveTimes : IRetryController
    {
        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => history.Count + 1;

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
            history.Count < 5 ? RetryDecision.Retry : RetryDecision.RevertAll;
    }

    private sealed class AlwaysRetry : IRetryController
    {
        public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => history.Count + 1;

        public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => RetryDecision.Retry;
    }
}
