namespace TaskFlow.Orleans;

/// <summary>One problem found while validating a flow definition.</summary>
/// <param name="Code">A stable code for the kind of problem, e.g. <c>cycle</c> or <c>missing-requirement</c>.</param>
/// <param name="FlowName">The flow (pattern) the problem is in.</param>
/// <param name="AtomName">The atom concerned, if any.</param>
/// <param name="Message">The whole explanation, naming the flow and atom and saying how to fix it.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowProblem")]
public sealed record FlowProblem(
    [property: Id(0)] string Code,
    [property: Id(1)] string FlowName,
    [property: Id(2)] string? AtomName,
    [property: Id(3)] string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
