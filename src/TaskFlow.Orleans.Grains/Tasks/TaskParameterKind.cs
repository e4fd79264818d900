namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>How a task method parameter gets its value.</summary>
internal enum TaskParameterKind
{
    /// <summary>A named argument: one of the task's requirements.</summary>
    Argument,

    /// <summary>The call's <see cref="System.Threading.CancellationToken"/>.</summary>
    CancellationToken,

    /// <summary>The call's <see cref="Authoring.TaskContext"/>.</summary>
    Context,

    /// <summary>Revert only: the execute outcome as a <c>TaskOutcome&lt;T&gt;</c>.</summary>
    Outcome,

    /// <summary>Revert only: every failure of the flow by atom name (TaskFlow's <c>flow_failures</c>).</summary>
    FlowFailures,

    /// <summary>Every required value no other parameter takes, by name (<see cref="Authoring.RequiredValuesAttribute"/>).</summary>
    RequiredValues,
}
