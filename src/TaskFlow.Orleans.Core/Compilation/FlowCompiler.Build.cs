using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    private readonly List<List<int>> _successors = [];
    private readonly List<string> _nodeNames = [];
    private readonly List<NodeKind> _nodeKinds = [];
    private readonly List<int> _retryOf = [];
    private readonly Dictionary<(int From, int To), (string Name, ILinkDecider Decider, DeciderDepth Depth)> _edgeDeciders = [];

    /// <summary>
    /// Flattens the pattern tree into one execution graph with a start and an end node per pattern; a pattern's retry sits
    /// between its start and its items, so everything the retry controls comes after it (TaskFlow's <c>LINK_RETRY</c> edges).
    /// </summary>
    private CompiledFlow BuildExecutionGraph(PatternItem root, ImmutableArray<ArgumentBinding>[] bindings)
    {
        foreach (var atom in _atoms)
        {
            _successors.Add([]);
            _nodeNames.Add(atom.Name);
            _nodeKinds.Add(atom.IsRetry ? NodeKind.Retry : NodeKind.Task);
            _retryOf.Add(-1);
        }

        BuildNode(root, enclosingRetry: -1);

        var nodeCount = _successors.Count;
        var successors = new int[nodeCount][];
        var predecessorLists = new List<int>[nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            predecessorLists[i] = [];
        }

        for (var from = 0; from < nodeCount; from++)
        {
            successors[from] = [.. _successors[from]];
            foreach (var to in successors[from])
            {
                predecessorLists[to].Add(from);
            }
        }

        var predecessors = predecessorLists.Select(list => list.ToArray()).ToArray();
        var atoms = _atoms.Select(a => new CompiledAtom(
            a.Id,
            a.Name,
            a.Signature?.Name ?? a.Definition.TaskName, // a class name given alone resolves to its full registered name
            [.. a.ProvidesOrdered],
            bindings[a.Id],
            a.Definition.Inject,
            a.Definition.Priority,
            a.Parent?.Name ?? root.Name)
        {
            Kind = a.IsRetry ? AtomKind.Retry : AtomKind.Task,
            Retry = a.IsRetry ? new CompiledRetry(a.Retry!, _controllers[a], a.Parent!.Name) : null,
            Timeout = a.Definition.Timeout,
            Capability = a.Signature?.Capability,
        }).ToImmutableArray();
        var nodeKinds = _nodeKinds.ToArray();
        return new CompiledFlow(_definition, atoms, nodeCount, successors, predecessors, [.. _nodeNames], nodeKinds, [.. _retryOf],
            CollectDeciders(predecessors, nodeKinds));
    }

    private int NewNode(string name, NodeKind kind, int retry)
    {
        _successors.Add([]);
        _nodeNames.Add(name);
        _nodeKinds.Add(kind);
        _retryOf.Add(retry);
        return _successors.Count - 1;
    }

    private void Edge(int from, int to) => _successors[from].Add(to);

    private void BuildNode(CompileItem item, int enclosingRetry)
    {
        if (item is AtomItem atom)
        {
            atom.Entry = atom.Exit = atom.Id;
            _retryOf[atom.Id] = enclosingRetry;
            return;
        }

        var pattern = (PatternItem)item;
        pattern.Entry = NewNode(pattern.Name + "[^]", NodeKind.FlowEntry, enclosingRetry);
        var head = pattern.Entry;
        if (pattern.RetryItem is { } retry)
        {
            // The retry is controlled by the enclosing retry; everything inside the pattern by this one.
            _retryOf[retry.Id] = enclosingRetry;
            Edge(pattern.Entry, retry.Id);
            head = retry.Id;
            enclosingRetry = retry.Id;
        }

        pattern.Exit = NewNode(pattern.Name + "[$]", NodeKind.FlowExit, enclosingRetry);
        foreach (var child in pattern.Children)
        {
            BuildNode(child, enclosingRetry);
        }

        if (pattern.Children.Count == 0)
        {
            Edge(head, pattern.Exit);
            return;
        }

        switch (pattern.Definition.Kind)
        {
            case PatternKind.Linear:
                var previous = head;
                foreach (var child in pattern.Children)
                {
                    Edge(previous, child.Entry);
                    previous = child.Exit;
                }

                Edge(previous, pattern.Exit);
                break;
            case PatternKind.Unordered:
                foreach (var child in pattern.Children)
                {
                    Edge(head, child.Entry);
                    Edge(child.Exit, pattern.Exit);
                }

                break;
            default:
                var hasSuccessor = new bool[pattern.Children.Count];
                for (var to = 0; to < pattern.Children.Count; to++)
                {
                    var predecessors = pattern.ChildPredecessors[to];
                    if (predecessors.Count == 0)
                    {
                        Edge(head, pattern.Children[to].Entry);
                    }

                    foreach (var from in predecessors)
                    {
                        Edge(pattern.Children[from].Exit, pattern.Children[to].Entry);
                        hasSuccessor[from] = true;
                        if (pattern.ChildDeciders.TryGetValue((from, to), out var decider))
                        {
                            _edgeDeciders[(pattern.Children[from].Exit, pattern.Children[to].Entry)] = decider;
                        }
                    }
                }

                for (var i = 0; i < pattern.Children.Count; i++)
                {
                    if (!hasSuccessor[i])
                    {
                        Edge(pattern.Children[i].Exit, pattern.Exit);
                    }
                }

                break;
        }
    }

    /// <summary>
    /// For each atom, the deciders that apply to it, as TaskFlow's <c>Runtime._walk_edge_deciders</c>: deciders on links into the
    /// atom, and, walking back through pattern starts (not ends, not retries), on links into the patterns it starts.
    /// </summary>
    private DeciderEdge[]?[] CollectDeciders(int[][] predecessors, NodeKind[] kinds)
    {
        var result = new DeciderEdge[]?[_atoms.Count];
        if (_edgeDeciders.Count == 0)
        {
            return result;
        }

        for (var atom = 0; atom < _atoms.Count; atom++)
        {
            List<DeciderEdge>? found = null;
            var visited = new HashSet<int>();
            var queue = new Queue<(int From, int To)>(predecessors[atom].Select(p => (p, atom)));
            while (queue.Count > 0)
            {
                var (from, to) = queue.Dequeue();
                if (_edgeDeciders.TryGetValue((from, to), out var decider))
                {
                    (found ??= []).Add(new DeciderEdge(from, from < _atoms.Count, decider.Name, decider.Decider, decider.Depth));
                }

                if (kinds[from] == NodeKind.FlowEntry && visited.Add(from))
                {
                    foreach (var before in predecessors[from])
                    {
                        queue.Enqueue((before, from));
                    }
                }
            }

            result[atom] = found?.ToArray();
        }

        return result;
    }
}
