namespace TaskFlow.Orleans.Retries;

/// <summary>What a retry controller decides when an atom it controls fails (TaskFlow's <c>retry.Decision</c>).</summary>
[GenerateSerializer]
[Alias("taskflow.RetryDecision")]
public enum RetryDecision : byte
{
    /// <summary>Revert the subflow the retry controls, then run the retry and its subflow again.</summary>
    Retry = 0,
    /// <summary>Revert the subflow and the retry, and let the parent retry decide (see <c>FlowEngineOptions.DeferReverts</c>).</summary>
    Revert = 1,
    /// <summary>Revert the whole flow, whatever the parent retries would decide.</summary>
    RevertAll = 2,
}
