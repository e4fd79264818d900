using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

public sealed partial class FlowCompiler
{
    private readonly List<List<int>> _successors = [];
    private readonly List<string> _nodeNames = [];

    /// <summary>Flattens the pattern tree into one execution graph with a start and an end node per pattern.</summary>
    private CompiledFlow BuildExecutionGraph(PatternItem root, ImmutableArray<ArgumentBinding>[] bindings)
    {
        foreach (var atom in _atoms)
        {
            _successors.Add([]);
            _nodeNames.Add(atom.Name);
        }

        BuildNode(root);

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
            a.Definition.TaskName,
            [.. a.ProvidesOrdered],
            bindings[a.Id],
            a.Definition.Inject,
            a.Definition.Priority,
            a.Parent?.Name ?? root.Name)).ToImmutableArray();
        return new CompiledFlow(_definition, atoms, nodeCount, successors, predecessors, [.. _nodeNames]);
    }

    private int NewNode(string name)
    {
        _successors.Add([]);
        _nodeNames.Add(name);
        return _successors.Count - 1;
    }

    private void Edge(int from, int to) => _successors[from].Add(to);

    private void BuildNode(CompileItem item)
    {
        if (item is AtomItem atom)
        {
            atom.Entry = atom.Exit = atom.Id;
            return;
        }

        var pattern = (PatternItem)item;
        pattern.Entry = NewNode(pattern.Name + "[^]");
        pattern.Exit = NewNode(pattern.Name + "[$]");
        foreach (var child in pattern.Children)
        {
            BuildNode(child);
        }

        if (pattern.Children.Count == 0)
        {
            Edge(pattern.Entry, pattern.Exit);
            return;
        }

        switch (pattern.Definition.Kind)
        {
            case PatternKind.Linear:
                var previous = pattern.Entry;
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
                    Edge(pattern.Entry, child.Entry);
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
                        Edge(pattern.Entry, pattern.Children[to].Entry);
                    }

                    foreach (var from in predecessors)
                    {
                        Edge(pattern.Children[from].Exit, pattern.Children[to].Entry);
                        hasSuccessor[from] = true;
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
}
