using System.Collections.Immutable;

namespace TaskFlow.Orleans.Definitions;

/// <summary>
/// A retry controller attached to a (sub)flow with <see cref="FlowBuilder.WithRetry"/>: it runs before the flow's items and,
/// when an atom inside the flow fails (nested flows without their own retry included), decides whether to retry the flow,
/// revert it, or revert everything. Built with the factories of <see cref="Retry"/>.
/// </summary>
/// <remarks>
/// Plain data, as TaskFlow's <c>retry.py</c> atoms are objects: built-ins are described by <see cref="Kind"/> and their
/// parameters; a user-defined controller is referenced by the name it is registered under on the silos.
/// </remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.RetryDefinition")]
public sealed record RetryDefinition
{
    /// <summary>Which controller.</summary>
    [Id(0)] public required RetryKind Kind { get; init; }

    /// <summary>The retry atom's name, unique in the flow.</summary>
    /// <value><see langword="null"/>: <c>"&lt;flow&gt;_retry"</c>, as TaskFlow names an unnamed retry.</value>
    [Id(1)] public string? Name { get; init; }

    /// <summary>Names the value the retry provides (its execute result) is stored under; the tasks of its subflow see it.</summary>
    /// <value>Empty: the value is kept in the retry's history but not exposed to other atoms (TaskFlow's <c>provides=None</c>).</value>
    [Id(2)] public ImmutableArray<string> Provides { get; init; } = [];

    /// <summary>For <see cref="RetryKind.Times"/>: how many attempts the subflow gets before the retry gives up.</summary>
    [Id(3)] public int Attempts { get; init; }

    /// <summary>For <see cref="RetryKind.ForEach"/>: the values tried in order, one per attempt. Values must be serializable by Orleans.</summary>
    [Id(4)] public ImmutableArray<object?> Values { get; init; } = [];

    /// <summary>For <see cref="RetryKind.Times"/> and the for-each kinds: give up with REVERT_ALL instead of REVERT (TaskFlow's <c>revert_all</c>).</summary>
    [Id(5)] public bool RevertAll { get; init; }

    /// <summary>For <see cref="RetryKind.Custom"/>: the name the controller is registered under on the silos.</summary>
    [Id(6)] public string? ControllerName { get; init; }

    /// <summary>Argument names the controller needs from storage (for <see cref="RetryKind.Custom"/>; ParameterizedForEach needs <c>values</c>).</summary>
    [Id(7)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>Argument name to the stored name it is taken from.</summary>
    [Id(8)] public ImmutableDictionary<string, string> Rebind { get; init; } = ImmutableDictionary<string, string>.Empty;
}
