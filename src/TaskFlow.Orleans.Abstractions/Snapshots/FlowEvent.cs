using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Snapshots;

/// <summary>One state change of a flow or one of its atoms, in the order the engine made them.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.FlowEvent")]
public sealed record FlowEvent
{
    /// <summary>Increases by one per event within a flow run, from 1.</summary>
    [Id(0)] public required long Sequence { get; init; }

    /// <summary>When the change happened.</summary>
    [Id(1)] public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The flow's name for a flow event, else the atom's name.</summary>
    [Id(2)] public required string Name { get; init; }

    /// <summary>The atom's new state, for an atom event.</summary>
    [Id(3)] public AtomState? AtomState { get; init; }

    /// <summary>The flow's new state, for a flow event.</summary>
    [Id(4)] public FlowState? FlowState { get; init; }

    /// <summary>The result of a successful execute, for an atom's <see cref="States.AtomState.Success"/> event.</summary>
    [Id(5)] public object? Result { get; init; }

    /// <summary>The failure, for an atom's failure events.</summary>
    [Id(6)] public Failure? Failure { get; init; }

    /// <summary>Whether the atom is a retry controller (shown as <c>name.r</c>, as TaskFlow's capture listener does).</summary>
    [Id(7)] public bool IsRetry { get; init; }

    /// <summary>For a progress report: how far the task is, from 0 to 1 (the atom's state is unchanged).</summary>
    [Id(8)] public double? Progress { get; init; }

    /// <summary>For a progress report: the task's details.</summary>
    [Id(9)] public string? ProgressDetails { get; init; }

    /// <summary>The atom's state before this change, for an atom event (TaskFlow's <c>old_state</c> in notification
    /// details); <see langword="null"/> for a progress report, or when not known.</summary>
    [Id(10)] public AtomState? PreviousAtomState { get; init; }

    /// <summary>The flow's state before this change, for a flow event (TaskFlow's <c>old_state</c>).</summary>
    [Id(11)] public FlowState? PreviousFlowState { get; init; }

    /// <summary>Whether this is a flow event (else an atom event).</summary>
    public bool IsFlowEvent => FlowState is not null;

    /// <summary>The event in TaskFlow's capturing-listener form: <c>task1.t SUCCESS(5)</c>, <c>flow-1.f REVERTED</c>.</summary>
    /// <returns>The trace line.</returns>
    public override string ToString()
    {
        if (FlowState is { } flowState)
        {
            return $"{Name}.f {StateNames.Of(flowState)}";
        }

        if (Progress is { } progress)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}.{(IsRetry ? "r" : "t")} PROGRESS({progress:0.###})");
        }

        var state = AtomState!.Value;
        var text = $"{Name}.{(IsRetry ? "r" : "t")} {StateNames.Of(state)}";
        return state switch
        {
            States.AtomState.Success => $"{text}({Format(Result)})",
            States.AtomState.Failure or States.AtomState.RevertFailure => $"{text}({Failure?.ExceptionTypeName.Split('.')[^1]}: {Failure?.Message})",
            States.AtomState.Reverted => $"{text}(None)",
            _ => text,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        System.Collections.IEnumerable e when value is not string => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
