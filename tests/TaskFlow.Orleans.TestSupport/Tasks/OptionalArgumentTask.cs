using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Returns <c>x + bonus</c>, where <c>bonus</c> is optional: bound when visible, else <see cref="DefaultBonus"/> (TaskFlow's optional arguments).</summary>
[TaskName(TaskName)]
public sealed class OptionalArgumentTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.optional";

    /// <summary>The default of <c>bonus</c>.</summary>
    public const int DefaultBonus = 100;

    public int Execute(int x, int bonus = DefaultBonus) => Executed(x + bonus, ("x", x), ("bonus", bonus));

    public void Revert(int x, TaskOutcome<int> outcome, IReadOnlyDictionary<string, Failure> flowFailures, int bonus = DefaultBonus) =>
        Reverted(outcome, flowFailures, ("x", x), ("bonus", bonus));
}
