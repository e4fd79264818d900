using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// The flows this silo compiled, so that a definition started again (by a factory, or by a client that sends the same flow)
/// is compiled once: compiling was most of a run's start (about 8 µs per atom). Keyed by a SHA-256 of the definition as
/// Orleans serializes it and the input names, so only an identical definition meets a compiled one; compiled flows are
/// immutable and shared by the runs' engines. A definition that does not compile is never kept, so its problems are
/// reported every time. Bounded by entries and by atoms; when full it starts over. Flows over <see cref="MaxCachedAtoms"/>
/// are compiled every time: their key (a serialization of the whole definition) costs a fifth of compiling them, and the
/// same 100,000-task definition is rarely started twice.
/// </summary>
internal sealed class CompiledFlowCache(Serializer serializer)
{
    /// <summary>The largest flow kept, in atoms.</summary>
    public const int MaxCachedAtoms = 20_000;

    private const int MaxEntries = 512;
    private const long MaxAtoms = 1_000_000;
    private readonly ConcurrentDictionary<string, CompiledFlow> _flows = new(StringComparer.Ordinal);
    private long _atoms;

    /// <summary>How many compiled flows are kept.</summary>
    public int Count => _flows.Count;

    /// <summary>The compiled flow of <paramref name="definition"/> with these inputs, compiled now if this silo has not yet.</summary>
    /// <param name="definition">The flow.</param>
    /// <param name="catalog">The silo's tasks (fixed for the silo's life).</param>
    /// <param name="inputNames">The names of the run's inputs.</param>
    /// <param name="atoms">How many atoms the definition has (counted before, to refuse one over the limit).</param>
    /// <returns>The compiled flow.</returns>
    /// <exception cref="FlowCompilationException">The definition is invalid.</exception>
    public CompiledFlow GetOrCompile(FlowDefinition definition, ITaskCatalog catalog, IEnumerable<string> inputNames, int atoms)
    {
        var names = inputNames as IReadOnlyCollection<string> ?? [.. inputNames];
        if (atoms > MaxCachedAtoms)
        {
            return FlowCompiler.Compile(definition, catalog, names);
        }

        var key = KeyOf(definition, names);
        if (_flows.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        compiled = FlowCompiler.Compile(definition, catalog, names);
        if (_flows.Count >= MaxEntries || Interlocked.Add(ref _atoms, compiled.AtomCount) > MaxAtoms)
        {
            _flows.Clear();
            Interlocked.Exchange(ref _atoms, compiled.AtomCount);
        }

        return _flows.GetOrAdd(key, compiled);
    }

    private string KeyOf(FlowDefinition definition, IReadOnlyCollection<string> inputNames)
    {
        var bytes = serializer.SerializeToArray(definition);
        var hash = SHA256.HashData(bytes);
        var key = new StringBuilder(Convert.ToHexString(hash));
        foreach (var name in inputNames.Order(StringComparer.Ordinal))
        {
            key.Append('\n').Append(name);
        }

        return key.ToString();
    }
}
