using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Waits <c>delayMs</c> milliseconds (cancelled by its token) and returns <c>delayMs</c>.</summary>
[TaskName(TaskName)]
public sealed class SlowTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.slow";

    public async Task<int> ExecuteAsync(int delayMs, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delayMs, cancellationToken);
        }
        catch (OperationCanceledException exception)
        {
            throw ExecuteFailed(exception, ("delayMs", delayMs));
        }

        return Executed(delayMs, ("delayMs", delayMs));
    }

    public void Revert(int delayMs, TaskOutcome<int> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("delayMs", delayMs));
}
