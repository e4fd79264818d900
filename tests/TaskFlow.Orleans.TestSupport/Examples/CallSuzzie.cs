using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Examples;

/// <summary>TaskFlow's <c>examples/reverting_linear.py</c> <c>CallSuzzie</c>: Suzzie is not home, so it raises <see cref="IOException"/>.</summary>
[TaskName("examples.call-suzzie")]
public sealed class CallSuzzie(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The message of the exception, as in the original.</summary>
    public const string Message = "Suzzie not home right now.";

    public void Execute(int suzzieNumber) => throw ExecuteFailed(new IOException(Message), ("suzzieNumber", suzzieNumber));

    public void Revert(int suzzieNumber, TaskOutcome<object> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, ("suzzieNumber", suzzieNumber));
}
