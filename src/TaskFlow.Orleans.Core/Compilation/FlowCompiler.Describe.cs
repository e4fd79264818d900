using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>
    /// Reports what each pattern, task and retry of a flow requires from outside itself and what it provides, as TaskFlow's
    /// <c>flow.requires</c> and <c>flow.provides</c> do, without binding arguments or building the execution graph.
    /// </summary>
    /// <remarks>
    /// The sets are the ones <see cref="Compile"/> computes: a task requires its signature's required arguments and its extra
    /// <c>requires</c> (after rebind, less injected names) and provides its <c>provides</c>; a linear pattern requires what its
    /// items need that no earlier item (or its retry) provides; an unordered pattern requires all its items need (less its
    /// retry's provides); a graph pattern requires what no item in it provides; a pattern provides everything its items and
    /// retry provide, and requires what its retry requires. Problems found on the way (unknown tasks, duplicate names or
    /// provides) are reported as by <see cref="Compile"/>; requirements left unsatisfied are not a problem here, they are the
    /// flow's requires.
    /// </remarks>
    /// <param name="definition">The flow.</param>
    /// <param name="catalog">The tasks registered on this silo.</param>
    /// <returns>Each pattern, task and retry by name, with its requires and provides.</returns>
    /// <exception cref="FlowCompilationException">An item is unknown, nameless or named twice, or provides a name twice.</exception>
    public static IReadOnlyDictionary<string, FlowItemSymbols> Describe(FlowDefinition definition, ITaskCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        return new FlowCompiler(catalog, []).RunDescribe(definition);
    }

    private Dictionary<string, FlowItemSymbols> RunDescribe(FlowDefinition definition)
    {
        _definition = definition;
        if (definition.Root is null)
        {
            throw new FlowCompilationException("(unnamed)",
                [new FlowProblem("empty-flow", "(unnamed)", null, "The flow definition has no root pattern. Build it with Flow.Linear/Unordered/Graph(...).Build().")]);
        }

        var root = Collect(definition.Root, parent: null, index: 0);
        ComputeSymbols(root);
        if (_problems.Count > 0)
        {
            throw new FlowCompilationException(FlowName, _problems);
        }

        var result = new Dictionary<string, FlowItemSymbols>(StringComparer.Ordinal);
        void Add(CompileItem item)
        {
            result[item.Name] = new FlowItemSymbols(item.Name, item is PatternItem,
                item.Requires.ToImmutableSortedSet(StringComparer.Ordinal), item.Provides.ToImmutableSortedSet(StringComparer.Ordinal));
            if (item is PatternItem pattern)
            {
                if (pattern.RetryItem is { } retry)
                {
                    Add(retry);
                }

                foreach (var child in pattern.Children)
                {
                    Add(child);
                }
            }
        }

        Add(root);
        return result;
    }
}

/// <summary>What one item of a flow requires from outside itself and provides, as reported by <see cref="FlowCompiler.Describe"/>.</summary>
/// <param name="Name">The pattern's, task's or retry's name.</param>
/// <param name="IsPattern">Whether the item is a pattern (a flow or subflow) rather than a task or retry.</param>
/// <param name="Requires">The stored names it needs that nothing inside it provides first (TaskFlow's <c>requires</c>).</param>
/// <param name="Provides">The stored names it provides (TaskFlow's <c>provides</c>).</param>
internal sealed record FlowItemSymbols(string Name, bool IsPattern, ImmutableSortedSet<string> Requires, ImmutableSortedSet<string> Provides);
