using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>
/// Turns a flow definition into a <see cref="CompiledFlow"/>: validates it, infers graph edges from requires and
/// provides, flattens nested patterns into one execution graph and decides where every argument comes from.
/// </summary>
/// <remarks>
/// Every problem is collected and reported at once in one <see cref="FlowCompilationException"/>: duplicate names,
/// unknown tasks, cycles (with their path), ambiguous providers, requirements nothing can satisfy, bad links and rebinds,
/// and an empty flow. Argument lookup follows TaskFlow's storage: an atom's injected values first, then the flow's inputs,
/// then the results of atoms visible from it, nearest first, walking up the pattern hierarchy.
/// </remarks>
internal sealed partial class FlowCompiler
{
    private readonly ITaskCatalog _catalog;
    private readonly List<FlowProblem> _problems = [];
    private readonly List<AtomItem> _atoms = [];
    private readonly Dictionary<string, CompileItem> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputs;
    private FlowDefinition _definition = null!;

    private FlowCompiler(ITaskCatalog catalog, IEnumerable<string> inputNames)
    {
        _catalog = catalog;
        _inputs = new HashSet<string>(inputNames, StringComparer.Ordinal);
    }

    /// <summary>Compiles a flow definition.</summary>
    /// <param name="definition">The flow.</param>
    /// <param name="catalog">The tasks registered on this silo.</param>
    /// <param name="inputNames">The names of the flow's inputs.</param>
    /// <returns>The compiled flow.</returns>
    /// <exception cref="FlowCompilationException">The definition is invalid; lists every problem.</exception>
    public static CompiledFlow Compile(FlowDefinition definition, ITaskCatalog catalog, IEnumerable<string> inputNames)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(inputNames);
        var names = inputNames as IReadOnlyCollection<string> ?? [.. inputNames];
        if (definition.Root is { } root && HasTarget(root))
        {
            definition = new FlowCompiler(catalog, names).PruneTargets(definition);
        }

        return new FlowCompiler(catalog, names).Run(definition);
    }

    private string FlowName => _definition.Root?.Name ?? "(unnamed)";

    private CompiledFlow Run(FlowDefinition definition)
    {
        _definition = definition;
        if (definition.Root is null)
        {
            throw new FlowCompilationException("(unnamed)",
                [new FlowProblem("empty-flow", "(unnamed)", null, "The flow definition has no root pattern. Build it with Flow.Linear/Unordered/Graph(...).Build().")]);
        }

        var root = (PatternItem)Collect(definition.Root, parent: null, index: 0);
        if (_atoms.All(atom => atom.IsRetry))
        {
            Report("empty-flow", root.Name, null,
                $"Flow '{root.Name}' has no tasks. Add at least one task with .Add<TTask>() or .Add(\"task-name\").");
        }

        if (definition.Options?.MaxConcurrency is < 1 and var max)
        {
            Report("bad-max-concurrency", root.Name, null,
                $"Flow '{root.Name}' has MaxConcurrency {max}; it must be at least 1 (how many of its tasks may run at once). " +
                "Set it to 1 or more, or leave it null for no bound.");
        }

        ValidateRetries();
        ComputeSymbols(root);
        BuildGraphPatterns(root);
        var bindings = BindArguments();

        if (_problems.Count > 0)
        {
            throw new FlowCompilationException(FlowName, _problems);
        }

        return BuildExecutionGraph(root, bindings);
    }

    private void Report(string code, string flowName, string? atomName, string message) =>
        _problems.Add(new FlowProblem(code, flowName, atomName, message));

    private CompileItem Collect(FlowElement element, PatternItem? parent, int index)
    {
        CompileItem item;
        switch (element)
        {
            case AtomDefinition atom:
                var atomItem = new AtomItem { Name = atom.Name, Definition = atom, Id = _atoms.Count };
                _atoms.Add(atomItem);
                item = atomItem;
                break;
            case PatternDefinition pattern:
                var patternItem = new PatternItem { Name = pattern.Name, Definition = pattern };
                item = patternItem;
                if (pattern.Retry is { } retry)
                {
                    // The retry gets its id before the pattern's items: it runs first, as in TaskFlow.
                    patternItem.RetryItem = CollectRetry(retry, patternItem);
                }

                var items = pattern.Items.IsDefault ? [] : pattern.Items;
                for (var i = 0; i < items.Length; i++)
                {
                    if (items[i] is null)
                    {
                        Report("null-item", pattern.Name, null, $"Flow '{pattern.Name}' has a null item at position {i}. Remove it.");
                        continue;
                    }

                    patternItem.Children.Add(Collect(items[i], patternItem, patternItem.Children.Count));
                }

                break;
            default:
                throw new ArgumentException($"Unknown flow element type {element.GetType().FullName}.", nameof(element));
        }

        item.Parent = parent;
        item.IndexInParent = index;
        RegisterName(item, parent?.Name ?? item.Name);
        if (item is PatternItem { RetryItem: { } retryItem })
        {
            RegisterName(retryItem, item.Name);
        }

        return item;
    }

    /// <summary>A retry controller becomes an atom controlled by the pattern's parent retry; it is not one of the pattern's items.</summary>
    private AtomItem CollectRetry(RetryDefinition retry, PatternItem pattern)
    {
        var name = retry.Name ?? pattern.Name + "_retry";
        var stand = new AtomDefinition
        {
            Name = name,
            TaskName = "retry:" + retry.Kind.ToString().ToLowerInvariant(),
            Provides = retry.Provides.IsDefault ? [] : retry.Provides,
            ProvidesSet = true,
            Requires = retry.Requires.IsDefault ? [] : retry.Requires,
            Rebind = retry.Rebind ?? ImmutableDictionary<string, string>.Empty,
        };
        var item = new AtomItem { Name = name, Definition = stand, Retry = retry, Id = _atoms.Count, Parent = pattern, IndexInParent = -1 };
        _atoms.Add(item);
        return item;
    }

    private void RegisterName(CompileItem item, string flowName)
    {
        if (string.IsNullOrWhiteSpace(item.Name))
        {
            Report("empty-name", flowName, null, $"An item of flow '{flowName}' has an empty name. Give every task and subflow a name.");
        }
        else if (_byName.TryGetValue(item.Name, out var existing))
        {
            var what = item is AtomItem { IsRetry: true } ? "retry" : item is AtomItem ? "atom" : "subflow";
            var example = what == "retry" ? $"Retry.Times(3, name: \"{item.Name}-2\")" : $".Add<T>(\"{item.Name}-2\")";
            Report("duplicate-name", flowName, item.Name,
                $"Flow '{flowName}' has two items named '{item.Name}' (in '{existing.Parent?.Name ?? existing.Name}' and '{flowName}'). " +
                $"Names must be unique in a flow (retries included): give the second {what} another name, e.g. {example}.");
        }
        else
        {
            _byName[item.Name] = item;
        }
    }
}
