using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>What a flow run was started with: written once, when the run is accepted.</summary>
[GenerateSerializer]
[Alias("taskflow.FlowDefinitionState")]
public sealed class FlowDefinitionState
{
    /// <summary>The flow as started; <see langword="null"/> when no run has this id.</summary>
    [Id(0)] public FlowDefinition? Definition { get; set; }

    /// <summary>The factory the flow was built from, if any.</summary>
    [Id(1)] public string? FactoryName { get; set; }

    /// <summary>The names of the flow's inputs (the values live in storage); needed to compile the flow again on resume.</summary>
    [Id(2)] public string[] InputNames { get; set; } = [];

    /// <summary>When the run was started.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}
