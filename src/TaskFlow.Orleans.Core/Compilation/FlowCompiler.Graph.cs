using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>Requirements already reported as ambiguous, so binding does not report them again as missing.</summary>
    private readonly HashSet<(CompileItem Item, string Symbol)> _ambiguous = [];

    /// <summary>Infers the edges of every graph pattern from requires/provides, adds explicit links, and rejects cycles.</summary>
    private void BuildGraphPatterns(PatternItem pattern)
    {
        foreach (var child in pattern.Children)
        {
            if (child is PatternItem nested)
            {
                BuildGraphPatterns(nested);
            }
        }

        var links = pattern.Definition.Links.IsDefault ? [] : pattern.Definition.Links;
        if (pattern.Definition.Kind != PatternKind.Graph)
        {
            foreach (var link in links)
            {
                Report("link-outside-graph", pattern.Name, link.To,
                    $"Flow '{pattern.Name}' is {pattern.Definition.Kind.ToString().ToLowerInvariant()} but links '{link.From}' -> '{link.To}'. " +
                    "Links order items of a graph flow only: use Flow.Graph(...) or remove the link.");
            }

            return;
        }

        var count = pattern.Children.Count;
        var predecessors = new List<int>[count];
        var edges = new HashSet<(int From, int To)>();
        for (var i = 0; i < count; i++)
        {
            predecessors[i] = [];
        }

        var providers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            foreach (var symbol in pattern.Children[i].Provides)
            {
                if (!providers.TryGetValue(symbol, out var list))
                {
                    providers[symbol] = list = [];
                }

                list.Add(i);
            }
        }

        for (var to = 0; to < count; to++)
        {
            var child = pattern.Children[to];
            foreach (var symbol in child.Requires.Order(StringComparer.Ordinal))
            {
                if (!providers.TryGetValue(symbol, out var list))
                {
                    continue;
                }

                var candidates = list.Where(from => from != to).ToList();
                if (candidates.Count > 1)
                {
                    _ambiguous.Add((child, symbol));
                    var names = string.Join("', '", candidates.Select(c => pattern.Children[c].Name));
                    Report("ambiguous-provider", pattern.Name, child.Name,
                        $"In graph flow '{pattern.Name}', '{child.Name}' requires '{symbol}', which several items provide: '{names}'. " +
                        $"Only one item of a graph flow may provide a name: rename one provides, or rebind '{child.Name}' to a distinct name.");
                }
                else if (candidates.Count == 1 && edges.Add((candidates[0], to)))
                {
                    predecessors[to].Add(candidates[0]);
                }
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            index.TryAdd(pattern.Children[i].Name, i);
        }

        foreach (var link in links)
        {
            var ok = true;
            foreach (var end in new[] { link.From, link.To })
            {
                if (!index.ContainsKey(end))
                {
                    ok = false;
                    Report("unknown-link-target", pattern.Name, end,
                        $"Graph flow '{pattern.Name}' links '{link.From}' -> '{link.To}', but '{end}' is not an item of '{pattern.Name}'. " +
                        $"Link only items added directly to this flow: {string.Join(", ", pattern.Children.Select(c => c.Name))}.");
                }
            }

            if (ok && edges.Add((index[link.From], index[link.To])))
            {
                predecessors[index[link.To]].Add(index[link.From]);
            }

            if (link.Decider is { } deciderName)
            {
                AddDecider(pattern, link, deciderName, ok ? (index[link.From], index[link.To]) : null);
            }
        }

        pattern.ChildPredecessors = predecessors;
        ReportCycles(pattern, predecessors);
    }

    /// <summary>A decider on a link (an inferred edge too, as TaskFlow updates the existing edge) must be registered on this silo.</summary>
    private void AddDecider(PatternItem pattern, FlowLink link, string deciderName, (int From, int To)? edge)
    {
        if (!Enum.IsDefined(link.Depth))
        {
            Report("bad-decider-depth", pattern.Name, link.To,
                $"Graph flow '{pattern.Name}' links '{link.From}' -> '{link.To}' with decider depth {(int)link.Depth}, which is not a DeciderDepth. " +
                "Use DeciderDepth.All, Flow, Neighbors or Atom.");
            return;
        }

        if (string.IsNullOrWhiteSpace(deciderName) || !_catalog.TryGetDecider(deciderName, out var decider))
        {
            var registered = _catalog.DeciderNames.Order(StringComparer.Ordinal).Take(20).ToList();
            Report("unknown-decider", pattern.Name, link.To,
                $"Graph flow '{pattern.Name}' links '{link.From}' -> '{link.To}' with decider '{deciderName}', which is not registered on this silo. " +
                "Register the decider on every silo, or fix the name. " +
                $"Registered deciders: {(registered.Count == 0 ? "none" : string.Join(", ", registered))}.");
            return;
        }

        if (edge is { } known)
        {
            pattern.ChildDeciders[known] = (deciderName, decider, link.Depth);
        }
    }

    private void ReportCycles(PatternItem pattern, List<int>[] predecessors)
    {
        var count = predecessors.Length;
        var successors = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            successors[i] = [];
        }

        for (var to = 0; to < count; to++)
        {
            foreach (var from in predecessors[to])
            {
                successors[from].Add(to);
            }
        }

        // Iterative DFS with colours; a grey successor closes a cycle, whose path is read off the stack.
        var colour = new byte[count];
        var reported = new HashSet<int>();
        for (var start = 0; start < count; start++)
        {
            if (colour[start] != 0)
            {
                continue;
            }

            var stack = new List<(int Node, int Next)> { (start, 0) };
            colour[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack[^1];
                if (next < successors[node].Count)
                {
                    stack[^1] = (node, next + 1);
                    var succ = successors[node][next];
                    if (colour[succ] == 0)
                    {
                        colour[succ] = 1;
                        stack.Add((succ, 0));
                    }
                    else if (colour[succ] == 1 && reported.Add(succ))
                    {
                        var from = stack.FindIndex(frame => frame.Node == succ);
                        var path = stack.Skip(from).Select(frame => pattern.Children[frame.Node].Name).Append(pattern.Children[succ].Name);
                        Report("cycle", pattern.Name, pattern.Children[succ].Name,
                            $"Graph flow '{pattern.Name}' has a cycle: {string.Join(" -> ", path)}. " +
                            "Each arrow is a link or a requires/provides dependency; remove a link or rename a provided value to break it.");
                    }
                }
                else
                {
                    colour[node] = 2;
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }
    }
}
