using System.Collections.Immutable;

namespace TaskFlow.Orleans.Definitions;

/// <summary>Creates retry controllers to attach to a flow with <see cref="FlowBuilder.WithRetry"/>, as TaskFlow's <c>retry</c> module.</summary>
/// <example>
/// <code>
/// Flow.Linear("boot")
///     .Add&lt;AllocateIp&gt;()
///     .Add&lt;BootVm&gt;(rebind: ("attempt", "attempt"))
///     .WithRetry(Retry.Times(3, provides: "attempt"))
/// </code>
/// </example>
public static class Retry
{
    /// <summary>The argument name ParameterizedForEach reads its values from, before any rebind.</summary>
    public const string ValuesArgument = "values";

    /// <summary>A retry that always reverts its subflow and defers to the parent retry (TaskFlow's <c>AlwaysRevert</c>).</summary>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names its (null) value is stored under.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition AlwaysRevert(string? name = null, Symbols provides = default) =>
        new() { Kind = RetryKind.AlwaysRevert, Name = name, Provides = provides.Names };

    /// <summary>A retry that always reverts the whole flow (TaskFlow's <c>AlwaysRevertAll</c>).</summary>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names its (null) value is stored under.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition AlwaysRevertAll(string? name = null, Symbols provides = default) =>
        new() { Kind = RetryKind.AlwaysRevertAll, Name = name, Provides = provides.Names };

    /// <summary>
    /// Runs the subflow up to <paramref name="attempts"/> times; provides the attempt number (1, 2, ...). When the attempts are
    /// used up it reverts the subflow (or everything with <paramref name="revertAll"/>), as TaskFlow's <c>Times</c>.
    /// </summary>
    /// <param name="attempts">How many attempts in all (0 gives up at the first failure).</param>
    /// <param name="revertAll">Give up with REVERT_ALL rather than REVERT.</param>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names the attempt number is stored under.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition Times(int attempts, bool revertAll = false, string? name = null, Symbols provides = default) =>
        new() { Kind = RetryKind.Times, Attempts = attempts, RevertAll = revertAll, Name = name, Provides = provides.Names };

    /// <summary>
    /// Runs the subflow once per value until one attempt succeeds, providing the value tried; values already tried (as many
    /// times as they were tried) are skipped, as TaskFlow's <c>ForEach</c>.
    /// </summary>
    /// <param name="values">The values, in order; each must be serializable by Orleans.</param>
    /// <param name="revertAll">Give up with REVERT_ALL rather than REVERT.</param>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names the value is stored under.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition ForEach(IEnumerable<object?> values, bool revertAll = false, string? name = null, Symbols provides = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new() { Kind = RetryKind.ForEach, Values = [.. values], RevertAll = revertAll, Name = name, Provides = provides.Names };
    }

    /// <summary>
    /// Like <see cref="ForEach"/>, with the values read from storage (a flow input or an earlier task's result) under
    /// <paramref name="valuesName"/>, as TaskFlow's <c>ParameterizedForEach</c>.
    /// </summary>
    /// <param name="valuesName">The stored name holding the values (a list); TaskFlow's default is <c>values</c>.</param>
    /// <param name="revertAll">Give up with REVERT_ALL rather than REVERT.</param>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names the value is stored under.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition ParameterizedForEach(string valuesName = ValuesArgument, bool revertAll = false, string? name = null, Symbols provides = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(valuesName);
        return new()
        {
            Kind = RetryKind.ParameterizedForEach,
            RevertAll = revertAll,
            Name = name,
            Provides = provides.Names,
            Requires = [ValuesArgument],
            Rebind = valuesName == ValuesArgument
                ? ImmutableDictionary<string, string>.Empty
                : ImmutableDictionary<string, string>.Empty.Add(ValuesArgument, valuesName),
        };
    }

    /// <summary>A user-defined retry controller, registered on every silo under <paramref name="controllerName"/>.</summary>
    /// <param name="controllerName">The registered name.</param>
    /// <param name="name">The retry's name; defaults to <c>"&lt;flow&gt;_retry"</c>.</param>
    /// <param name="provides">Names its execute result is stored under.</param>
    /// <param name="requires">Argument names the controller reads from storage.</param>
    /// <param name="rebind">Take an argument from another stored name.</param>
    /// <returns>The definition.</returns>
    public static RetryDefinition Custom(string controllerName, string? name = null, Symbols provides = default,
        Symbols requires = default, Rebind rebind = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(controllerName);
        return new()
        {
            Kind = RetryKind.Custom,
            ControllerName = controllerName,
            Name = name,
            Provides = provides.Names,
            Requires = requires.Names,
            Rebind = rebind.Map,
        };
    }
}
