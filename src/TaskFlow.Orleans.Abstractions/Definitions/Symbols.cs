using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace TaskFlow.Orleans.Definitions;

/// <summary>A list of symbol names for <c>provides</c> or <c>requires</c>: write one name as a string, several as <c>["a", "b"]</c>.</summary>
[CollectionBuilder(typeof(Symbols), nameof(Create))]
public readonly struct Symbols : IEnumerable<string>
{
    private readonly ImmutableArray<string> _names;

    private Symbols(ImmutableArray<string> names) => _names = names;

    /// <summary>The names; empty when none were given.</summary>
    public ImmutableArray<string> Names => _names.IsDefault ? [] : _names;

    /// <summary>Whether any name was given (an explicit empty list also counts as given).</summary>
    public bool IsSpecified => !_names.IsDefault;

    /// <summary>Creates the list from names.</summary>
    /// <param name="names">The names.</param>
    /// <returns>The list.</returns>
    public static Symbols Create(ReadOnlySpan<string> names) => new([.. names]);

    /// <summary>One name.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator Symbols(string name) => new([name]);

    /// <summary>Several names.</summary>
    /// <param name="names">The names.</param>
    public static implicit operator Symbols(string[] names) => new([.. names]);

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Names).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
