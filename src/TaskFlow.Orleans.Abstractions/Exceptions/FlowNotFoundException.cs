namespace TaskFlow.Orleans;

/// <summary>Thrown when a flow id names no flow that was ever started.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowNotFoundException")]
public sealed class FlowNotFoundException : TaskFlowException
{
    /// <summary>Creates the exception for a flow id.</summary>
    /// <param name="flowId">The id that was not found.</param>
    public FlowNotFoundException(string flowId)
        : base($"No flow with id '{flowId}' exists. Check the id, or start the flow first (StartAsync returns its id).")
    {
        FlowId = flowId;
    }

    /// <summary>The id that was not found.</summary>
    [Id(0)] public string FlowId { get; }
}
