namespace TaskFlow.Orleans;

/// <summary>Thrown when a flow is started with an id that is already in use.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowAlreadyExistsException")]
public sealed class FlowAlreadyExistsException : TaskFlowException
{
    /// <summary>Creates the exception for a flow id.</summary>
    /// <param name="flowId">The id already in use.</param>
    public FlowAlreadyExistsException(string flowId)
        : base($"A flow with id '{flowId}' already exists. Re-attach to it with GetFlowHandle(\"{flowId}\"), or start with another id.")
    {
        FlowId = flowId;
    }

    /// <summary>The id already in use.</summary>
    [Id(0)] public string FlowId { get; }
}
