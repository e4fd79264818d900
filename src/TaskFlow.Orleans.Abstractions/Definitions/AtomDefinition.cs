using System.Collections.Immutable;

namespace TaskFlow.Orleans.Definitions;

/// <summary>One use of a registered task in a flow, with its per-use options.</summary>
/// <remarks>Plain data: it names the task by its registered name and never carries code.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.AtomDefinition")]
public sealed record AtomDefinition : FlowElement
{
    /// <summary>The name the task is registered under on the silos.</summary>
    [Id(0)] public required string TaskName { get; init; }

    /// <summary>Names the result is stored under: one name takes the whole result; several split a tuple, list, dictionary or record result.</summary>
    /// <value>Empty: the task's default provides, or none.</value>
    [Id(1)] public ImmutableArray<string> Provides { get; init; } = [];

    /// <summary>Whether <see cref="Provides"/> was given; when not, the task's default provides apply.</summary>
    [Id(2)] public bool ProvidesSet { get; init; }

    /// <summary>Extra requirements besides those inferred from the execute signature.</summary>
    [Id(3)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>Argument name to the stored name it is taken from.</summary>
    [Id(4)] public ImmutableDictionary<string, string> Rebind { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Fixed argument values for this atom only.</summary>
    [Id(5)] public ImmutableDictionary<string, object?> Inject { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>Among atoms ready at once, higher priority is dispatched first (TaskFlow's <c>priority</c>).</summary>
    /// <value>0.</value>
    [Id(6)] public int Priority { get; init; }

    /// <summary>How long one Execute may run: then its CancellationToken is cancelled and the atom fails with a
    /// <c>System.TimeoutException</c> Failure, which is resolved like any failure (revert, or a retry).</summary>
    /// <value><see langword="null"/>: no limit.</value>
    [Id(7)] public TimeSpan? Timeout { get; init; }

    /// <summary>A positional rebind (<see cref="Definitions.Rebind.Positional"/>): the stored names Execute's required
    /// parameters are taken from, in declaration order.</summary>
    /// <value>Empty: none; <see cref="Rebind"/> alone applies.</value>
    [Id(8)] public ImmutableArray<string> PositionalRebind { get; init; } = [];
}
