namespace TaskFlow.Orleans;

/// <summary>Thrown when a flow definition is invalid; lists every problem found, not only the first.</summary>
/// <remarks>A rejected flow is never half-started: no grain state is written for it.</remarks>
[GenerateSerializer]
[Alias("taskflow.FlowCompilationException")]
public sealed class FlowCompilationException : TaskFlowException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="flowName">The name of the flow that failed to compile.</param>
    /// <param name="problems">Every problem found.</param>
    public FlowCompilationException(string flowName, IReadOnlyList<FlowProblem> problems)
        : base(Format(flowName, problems))
    {
        FlowName = flowName;
        Problems = [.. problems];
    }

    /// <summary>The flow that failed to compile.</summary>
    [Id(0)] public string FlowName { get; }

    /// <summary>Every problem found, each naming the flow, the atom and a fix.</summary>
    [Id(1)] public FlowProblem[] Problems { get; }

    private static string Format(string flowName, IReadOnlyList<FlowProblem> problems)
    {
        var lines = problems.Select((p, i) => $"  {i + 1}. {p.Message}");
        return $"Flow '{flowName}' is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines);
    }
}
