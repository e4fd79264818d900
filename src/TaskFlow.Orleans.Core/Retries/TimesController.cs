using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Retries;

/// <summary>
/// TaskFlow's <c>Times</c>: provides the attempt number (history length + 1); retries while fewer than
/// <see cref="Attempts"/> attempts were made, then reverts (or reverts everything).
/// </summary>
/// <param name="attempts">How many attempts in all.</param>
/// <param name="revertAll">Give up with REVERT_ALL rather than REVERT.</param>
internal sealed class TimesController(int attempts, bool revertAll = false) : IRetryController
{
    /// <summary>How many attempts in all.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>Whether giving up reverts the whole flow.</summary>
    public bool RevertAll { get; } = revertAll;

    /// <inheritdoc />
    public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => history.Count + 1;

    /// <inheritdoc />
    public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
        history.Count < Attempts ? RetryDecision.Retry : RevertAll ? RetryDecision.RevertAll : RetryDecision.Revert;
}
