using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Retries;

/// <summary>TaskFlow's <c>AlwaysRevertAll</c>: provides nothing; every failure reverts the whole flow.</summary>
internal sealed class AlwaysRevertAllController : IRetryController
{
    /// <inheritdoc />
    public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => null;

    /// <inheritdoc />
    public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => RetryDecision.RevertAll;
}
