using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace TaskFlow.Orleans.Definitions;

/// <summary>Argument renames for one atom: <c>("image", "golden-image")</c> takes argument <c>image</c> from the stored name <c>golden-image</c>.</summary>
[CollectionBuilder(typeof(Rebind), nameof(Create))]
public readonly struct Rebind : IEnumerable<(string Argument, string Source)>
{
    private readonly ImmutableDictionary<string, string>? _map;

    private Rebind(ImmutableDictionary<string, string> map) => _map = map;

    /// <summary>Argument name to source name.</summary>
    public ImmutableDictionary<string, string> Map => _map ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>Creates the renames from pairs.</summary>
    /// <param name="pairs">(argument, source) pairs.</param>
    /// <returns>The renames.</returns>
    public static Rebind Create(ReadOnlySpan<(string Argument, string Source)> pairs)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (argument, source) in pairs)
        {
            builder[argument] = source;
        }

        return new(builder.ToImmutable());
    }

    /// <summary>One rename.</summary>
    /// <param name="pair">(argument, source).</param>
    public static implicit operator Rebind((string Argument, string Source) pair) => Create([pair]);

    /// <summary>Renames from a dictionary of argument to source.</summary>
    /// <param name="map">The renames.</param>
    public static implicit operator Rebind(Dictionary<string, string> map) => new(map.ToImmutableDictionary());

    /// <inheritdoc />
    public IEnumerator<(string Argument, string Source)> GetEnumerator() =>
        Map.Select(pair => (pair.Key, pair.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
