using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Authoring;

/// <summary>What an Execute produced, as given to Revert: its value, or the <see cref="Failures.Failure"/> it ended with.</summary>
/// <typeparam name="T">The execute result type.</typeparam>
public readonly record struct TaskOutcome<T>
{
    private TaskOutcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>Whether Execute succeeded.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>The execute result; default when Execute failed.</summary>
    public T? Value { get; }

    /// <summary>The failure Execute ended with; <see langword="null"/> when it succeeded.</summary>
    public Failure? Failure { get; }

    /// <summary>A successful outcome.</summary>
    /// <param name="value">The result.</param>
    /// <returns>The outcome.</returns>
    public static TaskOutcome<T> Success(T? value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The outcome.</returns>
    public static TaskOutcome<T> Failed(Failure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));
}
