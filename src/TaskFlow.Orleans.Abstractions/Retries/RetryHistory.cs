using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Retries;

/// <summary>
/// What a retry controller has tried so far (TaskFlow's <c>retry.History</c>): one <see cref="RetryAttempt"/> per execution of
/// the retry, each with the failures that ended it, plus the retry's own failure if its execute failed.
/// </summary>
/// <remarks>Immutable: the engine replaces it as attempts and failures are added. It is emptied when the retry is reverted,
/// as TaskFlow does, so a retry run again later by a parent retry starts afresh.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.RetryHistory")]
public sealed record RetryHistory
{
    /// <summary>No attempts.</summary>
    public static RetryHistory Empty { get; } = new();

    /// <summary>The attempts, oldest first.</summary>
    [Id(0)] public ImmutableArray<RetryAttempt> Attempts { get; init; } = [];

    /// <summary>The retry's own failure (its execute failed), or <see langword="null"/>.</summary>
    [Id(1)] public Failure? Failure { get; init; }

    /// <summary>The number of attempts (TaskFlow's <c>len(history)</c>).</summary>
    public int Count => Attempts.IsDefault ? 0 : Attempts.Length;

    /// <summary>One attempt.</summary>
    /// <param name="index">Its position, oldest first.</param>
    public RetryAttempt this[int index] => Attempts[index];

    /// <summary>The values the retry provided, oldest first (TaskFlow's <c>provided_iter</c>).</summary>
    public IEnumerable<object?> ProvidedValues => (Attempts.IsDefault ? [] : Attempts).Select(attempt => attempt.Provided);

    /// <summary>The failures of controlled atoms, of every attempt or of one (TaskFlow's <c>outcomes_iter</c>); the retry's own failure is not included.</summary>
    /// <param name="index">One attempt's position, or <see langword="null"/> for all.</param>
    /// <returns>(atom name, failure) pairs.</returns>
    public IEnumerable<(string AtomName, Failure Failure)> Outcomes(int? index = null)
    {
        var attempts = Attempts.IsDefault ? [] : Attempts;
        var chosen = index is { } i ? [attempts[i]] : attempts;
        foreach (var attempt in chosen)
        {
            foreach (var (atomName, failure) in attempt.Failures)
            {
                yield return (atomName, failure);
            }
        }
    }

    /// <summary>Whether a failure of the given exception type (matched by name, as <see cref="Failures.Failure.Check"/>) caused the attempts to fail (TaskFlow's <c>caused_by</c>).</summary>
    /// <param name="exceptionTypeName">A full or simple exception type name.</param>
    /// <param name="index">One attempt's position, or <see langword="null"/> for all.</param>
    /// <param name="includeRetry">Whether the retry's own failure counts too.</param>
    /// <returns><see langword="true"/> when one matches.</returns>
    public bool CausedBy(string exceptionTypeName, int? index = null, bool includeRetry = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exceptionTypeName);
        if (Outcomes(index).Any(outcome => outcome.Failure.Check(exceptionTypeName) is not null))
        {
            return true;
        }

        return includeRetry && Failure?.Check(exceptionTypeName) is not null;
    }

    /// <summary>A history with one more attempt, which provided <paramref name="provided"/>; the retry's own failure is cleared.</summary>
    /// <param name="provided">What the retry's execute returned.</param>
    /// <returns>The new history.</returns>
    public RetryHistory WithAttempt(object? provided) =>
        new() { Attempts = (Attempts.IsDefault ? [] : Attempts).Add(new RetryAttempt { Provided = provided }) };

    /// <summary>A history where the latest attempt also records the failure of <paramref name="atomName"/>; unchanged if it already
    /// records one for that atom, or if there is no attempt (TaskFlow's <c>save_retry_failure</c>).</summary>
    /// <param name="atomName">The atom that failed.</param>
    /// <param name="failure">Its failure.</param>
    /// <returns>The new history.</returns>
    public RetryHistory WithFailure(string atomName, Failure failure)
    {
        if (Count == 0 || Attempts[^1].Failures.ContainsKey(atomName))
        {
            return this;
        }

        var last = Attempts[^1];
        return this with { Attempts = Attempts.SetItem(Attempts.Length - 1, last with { Failures = last.Failures.Add(atomName, failure) }) };
    }
}
