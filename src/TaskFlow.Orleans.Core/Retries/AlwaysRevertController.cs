using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Retries;

/// <summary>TaskFlow's <c>AlwaysRevert</c>: provides nothing; every failure reverts the subflow and defers to the parent retry.</summary>
internal sealed class AlwaysRevertController : IRetryController
{
    /// <inheritdoc />
    public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => null;

    /// <inheritdoc />
    public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) => RetryDecision.Revert;
}
