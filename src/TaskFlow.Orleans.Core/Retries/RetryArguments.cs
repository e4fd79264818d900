namespace TaskFlow.Orleans.Core.Retries;

/// <summary>Argument names the shell adds for retry controllers, as TaskFlow's <c>retry</c> module constants.</summary>
internal static class RetryArguments
{
    /// <summary>On revert: every execute failure of the flow, as an <c>IReadOnlyDictionary&lt;string, Failure&gt;</c> by atom name (TaskFlow's <c>flow_failures</c>).</summary>
    public const string FlowFailures = "flow_failures";
}
