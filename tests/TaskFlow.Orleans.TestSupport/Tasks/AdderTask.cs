using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Returns <c>x + y</c> (TaskFlow examples' <c>Adder</c>).</summary>
[TaskName(TaskName)]
public sealed class AdderTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.add";

    public int Execute(int x, int y) => Executed(x + y, ("x", x), ("y", y));

    public void Revert(int x, int y, TaskOutcome<int> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("x", x), ("y", y));
}
