using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace TaskFlow.Orleans.Definitions;

/// <summary>Fixed argument values for one atom: <c>("sizeGb", 20)</c>. Values must be serializable by Orleans.</summary>
[CollectionBuilder(typeof(Inject), nameof(Create))]
public readonly struct Inject : IEnumerable<(string Name, object? Value)>
{
    private readonly ImmutableDictionary<string, object?>? _values;

    private Inject(ImmutableDictionary<string, object?> values) => _values = values;

    /// <summary>Argument name to value.</summary>
    public ImmutableDictionary<string, object?> Values => _values ?? ImmutableDictionary<string, object?>.Empty;

    /// <summary>Creates the values from pairs.</summary>
    /// <param name="pairs">(name, value) pairs.</param>
    /// <returns>The values.</returns>
    public static Inject Create(ReadOnlySpan<(string Name, object? Value)> pairs)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, object?>();
        foreach (var (name, value) in pairs)
        {
            builder[name] = value;
        }

        return new(builder.ToImmutable());
    }

    /// <summary>One value.</summary>
    /// <param name="pair">(name, value).</param>
    public static implicit operator Inject((string Name, object? Value) pair) => Create([pair]);

    /// <summary>Values from a dictionary.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator Inject(Dictionary<string, object?> values) => new(values.ToImmutableDictionary());

    /// <inheritdoc />
    public IEnumerator<(string Name, object? Value)> GetEnumerator() =>
        Values.Select(pair => (pair.Key, pair.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
