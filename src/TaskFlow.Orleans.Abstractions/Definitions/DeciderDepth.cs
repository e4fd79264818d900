namespace TaskFlow.Orleans.Definitions;

/// <summary>
/// How far a link decider's "no" reaches (TaskFlow's <c>deciders.Depth</c>), widest first. When several deciders on the
/// links into one atom say no, the widest of their depths applies.
/// </summary>
/// <remarks>The narrower depths let atoms after the ignored ones run; they may then miss values the ignored atoms would
/// have provided, as TaskFlow warns.</remarks>
[GenerateSerializer]
[Alias("taskflow.DeciderDepth")]
public enum DeciderDepth : byte
{
    /// <summary>The target and every atom after it, in nested flows too (the default).</summary>
    All = 0,
    /// <summary>The target and the tasks after it in the same flow, reached through tasks only (not through nested flows).</summary>
    Flow = 1,
    /// <summary>The target and the tasks directly after it.</summary>
    Neighbors = 2,
    /// <summary>The target only.</summary>
    Atom = 3,
}
