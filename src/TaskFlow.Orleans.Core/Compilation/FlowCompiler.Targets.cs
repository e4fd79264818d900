using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>Whether a targeted pattern with a target appears anywhere in the definition.</summary>
    private static bool HasTarget(PatternDefinition pattern) =>
        pattern.Target is not null || (pattern.Items.IsDefault ? [] : pattern.Items).Any(item => item is PatternDefinition nested && HasTarget(nested));

    /// <summary>
    /// TaskFlow's <c>TargetedFlow</c>: a first pass works out each targeted pattern's graph (links and requires/provides
    /// edges), and the definition is rewritten to keep only each target and its transitive predecessors, links between kept
    /// items, and every pattern's retry. Problems of the items left out are not reported: they are not part of the run.
    /// </summary>
    /// <exception cref="FlowCompilationException">A target is not an item of its pattern.</exception>
    private FlowDefinition PruneTargets(FlowDefinition definition)
    {
        _definition = definition;
        var root = (PatternItem)Collect(definition.Root!, parent: null, index: 0);
        ComputeSymbols(root);
        BuildGraphPatterns(root);
        _problems.Clear();
        var patterns = new Dictionary<PatternDefinition, PatternItem>(ReferenceEqualityComparer.Instance);
        Index(root, patterns);
        var targetProblems = new List<FlowProblem>();
        var pruned = Prune(root.Definition, patterns, targetProblems);
        if (targetProblems.Count > 0)
        {
            throw new FlowCompilationException(FlowName, targetProblems);
        }

        return definition with { Root = pruned };
    }

    private static void Index(PatternItem pattern, Dictionary<PatternDefinition, PatternItem> patterns)
    {
        patterns[pattern.Definition] = pattern;
        foreach (var child in pattern.Children)
        {
            if (child is PatternItem nested)
            {
                Index(nested, patterns);
            }
        }
    }

    private PatternDefinition Prune(PatternDefinition definition, Dictionary<PatternDefinition, PatternItem> patterns, List<FlowProblem> problems)
    {
        var items = definition.Items.IsDefault ? [] : definition.Items;
        var rewritten = items.Select(item => item is PatternDefinition nested ? Prune(nested, patterns, problems) : item).ToImmutableArray();
        if (definition.Target is not { } target)
        {
            return definition with { Items = rewritten };
        }

        var pattern = patterns[definition];
        var index = pattern.Children.FindIndex(child => child.Name == target);
        if (definition.Kind != PatternKind.Graph)
        {
            problems.Add(new FlowProblem("target-outside-graph", definition.Name, target,
                $"Flow '{definition.Name}' is {definition.Kind.ToString().ToLowerInvariant()} but has target '{target}'. " +
                "Only a targeted graph flow has a target: make it with Flow.Targeted(...), or remove the target."));
            return definition with { Items = rewritten, Target = null };
        }

        if (index < 0)
        {
            var nestedIn = _byName.TryGetValue(target, out var item) && item.Parent is { } parent && parent != pattern
                ? $" ('{target}' is inside '{parent.Name}'; target '{TopmostBelow(item, pattern)?.Name ?? parent.Name}' instead, or make '{parent.Name}' targeted)"
                : "";
            problems.Add(new FlowProblem("unknown-target", definition.Name, target,
                $"Targeted flow '{definition.Name}' has target '{target}', which is not an item of '{definition.Name}'{nestedIn}. " +
                $"Set the target to one of its items: {string.Join(", ", pattern.Children.Select(c => c.Name))}."));
            return definition with { Items = rewritten, Target = null };
        }

        // The target and everything it depends on, through any number of edges.
        var kept = new HashSet<int> { index };
        var queue = new Queue<int>([index]);
        while (queue.Count > 0)
        {
            foreach (var predecessor in pattern.ChildPredecessors[queue.Dequeue()])
            {
                if (kept.Add(predecessor))
                {
                    queue.Enqueue(predecessor);
                }
            }
        }

        var keptNames = kept.Select(i => pattern.Children[i].Name).ToHashSet(StringComparer.Ordinal);
        var dropped = pattern.Children.Select(c => c.Name).Where(name => !keptNames.Contains(name)).ToHashSet(StringComparer.Ordinal);
        var keptItems = rewritten.Where(item => item is null || !dropped.Contains(item.Name)).ToImmutableArray();
        // A link to a name that is no item at all stays, so that the compile reports it.
        var links = (definition.Links.IsDefault ? [] : definition.Links)
            .Where(link => !dropped.Contains(link.From) && !dropped.Contains(link.To))
            .ToImmutableArray();
        return definition with { Items = keptItems, Links = links, Target = null };
    }

    /// <summary>The item directly inside <paramref name="pattern"/> that contains <paramref name="item"/>, if any.</summary>
    private static CompileItem? TopmostBelow(CompileItem item, PatternItem pattern)
    {
        for (CompileItem? current = item; current is not null; current = current.Parent)
        {
            if (current.Parent == pattern)
            {
                return current;
            }
        }

        return null;
    }
}
