namespace TaskFlow.Orleans.Client;

/// <summary>Options for starting one flow run.</summary>
public sealed record StartFlowOptions
{
    /// <summary>The run's id; use a meaningful, unique one to re-attach later with <see cref="ITaskFlowClient.GetFlowHandle"/>.</summary>
    /// <remarks>1 to 200 characters (the silos' <c>TaskFlow:Limits:MaxFlowIdLength</c>) of letters, digits, punctuation, symbols
    /// and inner spaces; no control, invisible-format or line-break characters (see <see cref="Limits.FlowIds"/>).</remarks>
    /// <value>A new GUID.</value>
    public string? FlowId { get; init; }

    /// <summary>The run's durability: <see cref="Definitions.Durability.Strict"/> (TaskFlow's save order) or the opt-in
    /// <see cref="Definitions.Durability.Relaxed"/>; <see langword="null"/> takes the silo's default.</summary>
    /// <value>Default <see langword="null"/> (the silo's <c>TaskFlowOptions.Durability</c>, itself strict by default).</value>
    public Definitions.Durability? Durability { get; init; }

    /// <summary>Tags to find the run by in the run index (<c>ListFlowsAsync</c> with <c>FlowQuery.Tag</c>), e.g. a tenant
    /// or a release; each non-empty, at most 100 characters, no line breaks; at most 20.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string>? Tags { get; init; }
}
