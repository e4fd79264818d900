using System.Collections.Immutable;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>What the compiler needs to know of a registered task: the arguments it requires and what it provides by default.</summary>
/// <param name="Name">The registered task name.</param>
/// <param name="Required">Argument names that must be bound (execute and revert parameters without defaults).</param>
/// <param name="Optional">Argument names bound when visible, else their defaults apply.</param>
/// <param name="DefaultProvides">Names the result is stored under when the flow does not say.</param>
/// <param name="Capability">The capability a silo must advertise to run the task, or <see langword="null"/> for any silo.</param>
internal sealed record TaskSignature(
    string Name,
    ImmutableArray<string> Required,
    ImmutableArray<string> Optional,
    ImmutableArray<string> DefaultProvides,
    string? Capability = null)
{
    /// <summary>Execute's required parameters in declaration order: what a positional rebind maps, name by name.</summary>
    /// <value>Default: <see cref="Required"/>.</value>
    public ImmutableArray<string> Positional
    {
        get => field.IsDefault ? Required : field;
        init;
    }

    /// <summary>Whether Execute takes every other required value in one dictionary (<c>[RequiredValues]</c>, TaskFlow's
    /// <c>**kwargs</c>): names a positional rebind has beyond the parameters then become requirements of their own.</summary>
    public bool TakesRequiredValues { get; init; }
}
