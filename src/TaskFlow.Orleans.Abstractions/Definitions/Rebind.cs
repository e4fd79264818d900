using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace TaskFlow.Orleans.Definitions;

/// <summary>
/// Argument renames for one atom: <c>("image", "golden-image")</c> takes argument <c>image</c> from the stored name
/// <c>golden-image</c>; <see cref="Positional"/> maps Execute's required parameters in order instead (TaskFlow's list form,
/// <c>rebind=['y3', 'y4']</c>).
/// </summary>
[CollectionBuilder(typeof(Rebind), nameof(Create))]
public readonly struct Rebind : IEnumerable<(string Argument, string Source)>
{
    private readonly ImmutableDictionary<string, string>? _map;
    private readonly ImmutableArray<string> _sources;

    private Rebind(ImmutableDictionary<string, string> map) => _map = map;

    private Rebind(ImmutableArray<string> sources) => _sources = sources;

    /// <summary>Argument name to source name.</summary>
    public ImmutableDictionary<string, string> Map => _map ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>For a positional rebind: the stored names Execute's required parameters are taken from, in the order the
    /// parameters are declared; empty otherwise.</summary>
    public ImmutableArray<string> PositionalSources => _sources.IsDefault ? [] : _sources;

    /// <summary>
    /// Takes Execute's required parameters, in declaration order, from these stored names (TaskFlow's
    /// <c>rebind=['y3', 'y4']</c>): the first parameter from the first name, and so on. Fewer names than parameters leave
    /// the rest bound by their own names; more names than parameters are refused when the flow is compiled.
    /// </summary>
    /// <param name="sources">The stored names, in parameter order.</param>
    /// <returns>The renames.</returns>
    /// <example><c>.Add&lt;Distance&gt;(rebind: Rebind.Positional("y3", "y4"))</c>: for <c>Execute(double a, double b)</c>,
    /// <c>a</c> comes from <c>y3</c> and <c>b</c> from <c>y4</c>.</example>
    public static Rebind Positional(params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(source, nameof(sources));
        }

        return new([.. sources]);
    }

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
