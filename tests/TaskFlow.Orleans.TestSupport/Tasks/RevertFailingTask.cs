using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Executes fine (returns <c>"done"</c>) but its Revert throws <see cref="InvalidOperationException"/> <c>"Revert woot!"</c>.</summary>
[TaskName(TaskName)]
public sealed class RevertFailingTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.revert-fail";

    /// <summary>The message of the revert's exception.</summary>
    public const string RevertMessage = "Revert woot!";

    public string Execute() => Executed("done");

    public void Revert(TaskOutcome<string> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        throw RevertFailed(new InvalidOperationException(RevertMessage), outcome, flowFailures);
}
