using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>
/// Executes at once (returns <c>"done"</c>); its Revert waits until <see cref="Journal.TaskGates.Open"/> is called for its flow and
/// <see cref="RevertGate"/> of its atom, so a test can act while the atom is REVERTING.
/// </summary>
[TaskName(TaskName)]
public sealed class GatedRevertTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.gated-revert";

    /// <summary>The gate name of an atom's revert.</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The gate name to pass to <see cref="Journal.TaskGates"/>.</returns>
    public static string RevertGate(string atomName) => atomName + ":revert";

    public string Execute() => Executed("done");

    public async Task RevertAsync(TaskOutcome<string> outcome, IReadOnlyDictionary<string, Failure> flowFailures, CancellationToken cancellationToken)
    {
        await Journal.TaskGates.PassAsync(Context.FlowId, RevertGate(Context.AtomName), cancellationToken);
        Reverted(outcome, flowFailures);
    }
}
