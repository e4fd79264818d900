using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Examples;

/// <summary>TaskFlow's <c>examples/reverting_linear.py</c> <c>CallJim</c>: "calls" Jim; revert apologizes.</summary>
[TaskName("examples.call-jim")]
public sealed class CallJim(IGrainRuntime silo) : JournaledTask(silo)
{
    public string Execute(int jimNumber) => Executed($"Calling jim {jimNumber}.", ("jimNumber", jimNumber));

    public void Revert(int jimNumber, TaskOutcome<string> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("jimNumber", jimNumber));
}
