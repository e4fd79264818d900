using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Does nothing and returns nothing; for graph shapes where only the order matters (TaskFlow tests' <c>NoopTask</c>).</summary>
[TaskName(TaskName)]
public sealed class NoopTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.noop";

    public void Execute() => Executed<object?>(null);

    public void Revert(TaskOutcome<object> outcome, IReadOnlyDictionary<string, Failure> flowFailures) => Reverted(outcome, flowFailures);
}
