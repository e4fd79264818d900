using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>Turns a compiled flow into a <see cref="FlowGraph"/>: its atoms, its patterns and the order the engine runs them in.</summary>
internal static class FlowGraphBuilder
{
    /// <summary>Builds the graph of a compiled flow.</summary>
    /// <remarks>
    /// <para>Edges are the compiled execution graph with its pattern start and end markers collapsed: an atom gets an edge to
    /// every atom it reaches through markers only. So <c>linear(A, unordered(B, C), D)</c> gives A→B, A→C, B→D and C→D, and a
    /// pattern's retry sits between what comes before the pattern and the pattern's first items, as the compiler places it.</para>
    /// <para>An edge has a decider when a link decider the engine asks before the target runs (see the compiled flow's
    /// deciders) lies on it: the decider's link starts at the edge's source atom, or at the end of a pattern the source atom
    /// ends, and leads into the target atom or into a pattern the target atom starts (not through a retry, as in TaskFlow).
    /// Every edge from an atom that ends a linked pattern into an atom that starts the link's target is so marked.</para>
    /// </remarks>
    /// <param name="flow">The compiled flow.</param>
    /// <returns>The graph.</returns>
    public static FlowGraph Build(CompiledFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new FlowGraph
        {
            FlowName = flow.Name,
            Nodes = [.. flow.Atoms.Select(Node)],
            Clusters = Clusters(flow),
            Edges = Edges(flow),
        };
    }

    private static GraphNode Node(CompiledAtom atom) => new()
    {
        AtomId = atom.Id,
        Name = atom.Name,
        TaskName = atom.TaskName,
        IsRetry = atom.IsRetry,
        // For a retry the compiler records the pattern it controls, which is the pattern drawn around it.
        Cluster = atom.FlowName,
        Requires = [.. atom.Arguments
            .Where(argument => argument.Kind is ArgumentSourceKind.Input or ArgumentSourceKind.Result)
            .Select(argument => argument.Key)
            .Distinct(StringComparer.Ordinal)],
        Provides = atom.Provides.IsDefault ? [] : atom.Provides,
    };

    private static ImmutableArray<GraphCluster> Clusters(CompiledFlow flow)
    {
        var retries = flow.Atoms.Where(atom => atom.Retry is not null)
            .ToDictionary(atom => atom.Retry!.ControlledFlow, atom => atom.Name, StringComparer.Ordinal);
        var clusters = ImmutableArray.CreateBuilder<GraphCluster>();
        var pending = new Stack<(PatternDefinition Pattern, string? Parent)>();
        pending.Push((flow.Definition.Root, null));
        while (pending.Count > 0)
        {
            var (pattern, parent) = pending.Pop();
            clusters.Add(new GraphCluster
            {
                Name = pattern.Name,
                Kind = pattern.Kind,
                Parent = parent,
                Retry = retries.GetValueOrDefault(pattern.Name),
            });
            var items = pattern.Items.IsDefault ? [] : pattern.Items;
            for (var i = items.Length - 1; i >= 0; i--)
            {
                if (items[i] is PatternDefinition nested)
                {
                    pending.Push((nested, pattern.Name));
                }
            }
        }

        return clusters.ToImmutable();
    }

    private static ImmutableArray<GraphEdge> Edges(CompiledFlow flow)
    {
        var edges = ImmutableArray.CreateBuilder<GraphEdge>();
        var markers = new HashSet<int>();
        var targets = new SortedSet<int>();
        var pending = new Stack<int>();
        for (var source = 0; source < flow.AtomCount; source++)
        {
            // Every atom reached through pattern markers only, and the markers passed on the way (a decider's link may start
            // at a pattern's end the source atom leads to).
            markers.Clear();
            targets.Clear();
            pending.Push(source);
            while (pending.Count > 0)
            {
                foreach (var next in flow.SuccessorsOf(pending.Pop()))
                {
                    if (flow.IsAtom(next))
                    {
                        targets.Add(next);
                    }
                    else if (markers.Add(next))
                    {
                        pending.Push(next);
                    }
                }
            }

            foreach (var target in targets)
            {
                var hasDecider = flow.Deciders[target].Any(decider =>
                    decider.SourceNode == source || (!decider.SourceIsAtom && markers.Contains(decider.SourceNode)));
                edges.Add(new GraphEdge { From = flow.Atoms[source].Name, To = flow.Atoms[target].Name, HasDecider = hasDecider });
            }
        }

        return edges.ToImmutable();
    }
}
