namespace TaskFlow.Orleans.Client;

/// <summary>Options for starting one flow run.</summary>
public sealed record StartFlowOptions
{
    /// <summary>The run's id; use a meaningful, unique one to re-attach later with <see cref="ITaskFlowClient.GetFlowHandle"/>.</summary>
    /// <value>A new GUID.</value>
    public string? FlowId { get; init; }
}
