namespace TaskFlow.Orleans.Core.Engine;

/// <summary>How a failure is resolved (TaskFlow's completer strategies), weakest first.</summary>
internal enum ResolutionStrategy : byte
{
    /// <summary>TaskFlow's <c>RevertAndRetry</c>: the retry's intention becomes RETRY and everything after it REVERT; once that is reverted the retry runs again.</summary>
    RevertAndRetry = 0,
    /// <summary>TaskFlow's <c>Revert</c>: the retry and everything after it revert; atoms elsewhere carry on.</summary>
    Revert = 1,
    /// <summary>TaskFlow's <c>RevertAll</c>: every atom reverts (also what a failure with no retry, and a cancel, do).</summary>
    RevertAll = 2,
}
