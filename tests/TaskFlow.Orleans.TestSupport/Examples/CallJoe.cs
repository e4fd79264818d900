using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Examples;

/// <summary>TaskFlow's <c>examples/reverting_linear.py</c> <c>CallJoe</c>: "calls" Joe; revert apologizes.</summary>
[TaskName("examples.call-joe")]
public sealed class CallJoe(IGrainRuntime silo) : JournaledTask(silo)
{
    public string Execute(int joeNumber) => Executed($"Calling joe {joeNumber}.", ("joeNumber", joeNumber));

    public void Revert(int joeNumber, TaskOutcome<string> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("joeNumber", joeNumber));
}
