namespace TaskFlow.Orleans.Authoring;

/// <summary>A flow run being started, as listeners see it.</summary>
/// <param name="FlowId">The run's id.</param>
/// <param name="FlowName">The flow's name.</param>
/// <param name="Inputs">The run's inputs.</param>
public sealed record FlowStartedContext(string FlowId, string FlowName, IReadOnlyDictionary<string, object?> Inputs);
