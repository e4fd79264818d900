using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Returns its argument <c>value</c>; with <c>inject: ("value", 5)</c> it is a constant task (TaskFlow tests' <c>TaskOneReturn</c> and friends).</summary>
[TaskName(TaskName)]
public sealed class EchoTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.echo";

    public object? Execute(object? value) => Executed(value, ("value", value));

    public void Revert(object? value, TaskOutcome<object> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("value", value));
}
