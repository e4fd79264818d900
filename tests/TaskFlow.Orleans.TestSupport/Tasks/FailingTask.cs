using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>
/// Always fails: throws <c>failWith</c> (an exception type name, default <see cref="InvalidOperationException"/>) with
/// message <c>failMessage</c> (default <c>"Woot!"</c>, as TaskFlow's test <c>FailingTask</c>). Both are optional arguments,
/// so a flow can choose them with <c>inject</c>.
/// </summary>
[TaskName(TaskName)]
public sealed class FailingTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.fail";

    /// <summary>The default message, as in TaskFlow's tests.</summary>
    public const string DefaultMessage = "Woot!";

    public void Execute(string failMessage = DefaultMessage, string failWith = "System.InvalidOperationException")
    {
        var type = Type.GetType(failWith, throwOnError: true)!;
        var exception = (Exception)Activator.CreateInstance(type, failMessage)!;
        throw ExecuteFailed(exception, ("failMessage", failMessage), ("failWith", failWith));
    }

    public void Revert(TaskOutcome<object> outcome, IReadOnlyDictionary<string, Failure> flowFailures,
        string failMessage = DefaultMessage, string failWith = "System.InvalidOperationException") =>
        Reverted(outcome, flowFailures, ("failMessage", failMessage), ("failWith", failWith));
}
