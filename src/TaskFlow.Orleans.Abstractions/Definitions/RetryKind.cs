namespace TaskFlow.Orleans.Definitions;

/// <summary>Which retry controller a <see cref="RetryDefinition"/> uses: one of TaskFlow's built-ins, or one registered on the silos.</summary>
[GenerateSerializer]
[Alias("taskflow.RetryKind")]
public enum RetryKind : byte
{
    /// <summary>Always reverts its subflow and lets the parent retry decide (TaskFlow's <c>AlwaysRevert</c>).</summary>
    AlwaysRevert = 0,
    /// <summary>Always reverts the whole flow (TaskFlow's <c>AlwaysRevertAll</c>).</summary>
    AlwaysRevertAll = 1,
    /// <summary>Runs its subflow up to a number of attempts and provides the attempt number (TaskFlow's <c>Times</c>).</summary>
    Times = 2,
    /// <summary>Runs its subflow once per value of a fixed list, providing the value (TaskFlow's <c>ForEach</c>).</summary>
    ForEach = 3,
    /// <summary>Like <see cref="ForEach"/>, with the values taken from storage (TaskFlow's <c>ParameterizedForEach</c>).</summary>
    ParameterizedForEach = 4,
    /// <summary>A user-defined controller registered on the silos under <see cref="RetryDefinition.ControllerName"/>.</summary>
    Custom = 5,
}
