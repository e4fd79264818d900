using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Returns its <c>values</c> (usually injected), split by position over several provided names (TaskFlow examples' <c>Provider</c>).</summary>
[TaskName(TaskName)]
public sealed class ProviderTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.provide";

    public int[] Execute(int[] values) => Executed(values, ("values", values));

    public void Revert(int[] values, TaskOutcome<int[]> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("values", values));
}
