using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Returns the tuple <c>(dividend / divisor, dividend % divisor)</c>, split by default over <c>quotient</c> and <c>remainder</c>.</summary>
[TaskName(TaskName)]
[DefaultProvides("quotient", "remainder")]
public sealed class DivModTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.divmod";

    public (int Quotient, int Remainder) Execute(int dividend, int divisor) =>
        Executed((dividend / divisor, dividend % divisor), ("dividend", dividend), ("divisor", divisor));

    public void Revert(int dividend, int divisor, TaskOutcome<(int Quotient, int Remainder)> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("dividend", dividend), ("divisor", divisor));
}
