using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>
/// A slow task the test controls: it waits until <see cref="Journal.TaskGates.Open"/> is called for its flow and atom (at most
/// <see cref="Journal.TaskGates.MaxWait"/>), then returns its optional argument <c>value</c>.
/// </summary>
[TaskName(TaskName)]
public sealed class GatedTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.gated";

    public async Task<object?> ExecuteAsync(CancellationToken cancellationToken, object? value = null)
    {
        try
        {
            await Journal.TaskGates.PassAsync(Context.FlowId, Context.AtomName, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            throw ExecuteFailed(exception, ("value", value));
        }

        return Executed(value, ("value", value));
    }

    public void Revert(TaskOutcome<object> outcome, IReadOnlyDictionary<string, Failure> flowFailures, object? value = null) =>
        Reverted(outcome, flowFailures, ("value", value));
}
