using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>The base of the test task classes: records every Execute and Revert in the <see cref="TaskJournal"/>, with the silo it ran on.</summary>
/// <param name="silo">The silo the instance is created on (tasks are created per call by the silo's services).</param>
public abstract class JournaledTask(IGrainRuntime silo) : FlowTask
{
    /// <summary>The silo this call runs on, in the form the engine reports as <c>AtomSnapshot.RanOn</c>.</summary>
    protected string Silo { get; } = silo.SiloIdentity;

    /// <summary>The task's registered name.</summary>
    protected string Name => TaskNames.Of(GetType());

    /// <summary>Records that Execute returned <paramref name="result"/>.</summary>
    /// <param name="result">The result.</param>
    /// <param name="arguments">The named arguments received.</param>
    /// <returns><paramref name="result"/>.</returns>
    protected T Executed<T>(T result, params (string Name, object? Value)[] arguments) =>
        TaskJournal.Executed(Context, Name, Silo, result, arguments);

    /// <summary>Records that Execute throws <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="arguments">The named arguments received.</param>
    /// <returns><paramref name="exception"/>, to throw.</returns>
    protected Exception ExecuteFailed(Exception exception, params (string Name, object? Value)[] arguments) =>
        TaskJournal.ExecuteFailed(Context, Name, Silo, exception, arguments);

    /// <summary>Records a Revert and what it received.</summary>
    /// <param name="outcome">The execute outcome.</param>
    /// <param name="flowFailures">The flow's failures.</param>
    /// <param name="arguments">The named arguments received.</param>
    protected void Reverted<T>(TaskOutcome<T> outcome, IReadOnlyDictionary<string, Failure> flowFailures, params (string Name, object? Value)[] arguments) =>
        TaskJournal.Reverted(Context, Name, Silo, outcome, flowFailures, arguments);

    /// <summary>Records a Revert that throws <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="outcome">The execute outcome.</param>
    /// <param name="flowFailures">The flow's failures.</param>
    /// <param name="arguments">The named arguments received.</param>
    /// <returns><paramref name="exception"/>, to throw.</returns>
    protected Exception RevertFailed<T>(Exception exception, TaskOutcome<T> outcome, IReadOnlyDictionary<string, Failure> flowFailures,
        params (string Name, object? Value)[] arguments)
    {
        TaskJournal.Reverted(Context, Name, Silo, outcome, flowFailures, arguments, exception);
        return exception;
    }
}
