using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>
/// A validated flow flattened into one execution graph. Nodes <c>0..AtomCount-1</c> are the atoms, tasks and retry controllers
/// (ids in definition order); the nodes after them mark where each pattern starts and ends (TaskFlow's flow and
/// <c>Terminator</c> nodes), so joining two patterns costs one edge per item, not one per pair of items. A pattern's retry sits
/// between the pattern's start and its items, as in TaskFlow's compiler.
/// </summary>
internal sealed class CompiledFlow
{
    private static readonly DeciderEdge[] NoDeciders = [];

    internal CompiledFlow(
        FlowDefinition definition,
        ImmutableArray<CompiledAtom> atoms,
        int nodeCount,
        int[][] successors,
        int[][] predecessors,
        string[] nodeNames,
        NodeKind[] nodeKinds,
        int[] retryOf,
        DeciderEdge[]?[] deciders)
    {
        Definition = definition;
        Atoms = atoms;
        NodeCount = nodeCount;
        Successors = successors;
        Predecessors = predecessors;
        NodeNames = nodeNames;
        NodeKinds = nodeKinds;
        RetryOfNode = retryOf;
        Options = definition.Options ?? FlowEngineOptions.Default;
        HasPriorities = atoms.Any(a => a.Priority != 0);
        HasRetries = atoms.Any(a => a.IsRetry);
        TaskCount = atoms.Count(a => !a.IsRetry);
        Deciders = new DeciderEdge[atoms.Length][];
        DeciderSource = new bool[atoms.Length];
        for (var atom = 0; atom < atoms.Length; atom++)
        {
            Deciders[atom] = deciders[atom] ?? NoDeciders;
            foreach (var edge in Deciders[atom])
            {
                HasDeciders = true;
                if (edge.SourceIsAtom)
                {
                    DeciderSource[edge.SourceNode] = true;
                }
            }
        }

        TopologicalOrder = SortTopologically(nodeCount, successors, predecessors);
    }

    /// <summary>The definition it was compiled from.</summary>
    public FlowDefinition Definition { get; }

    /// <summary>The flow's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The engine options of the flow.</summary>
    public FlowEngineOptions Options { get; }

    /// <summary>The atoms, tasks and retries, indexed by id.</summary>
    public ImmutableArray<CompiledAtom> Atoms { get; }

    /// <summary>The number of atoms (tasks and retries).</summary>
    public int AtomCount => Atoms.Length;

    /// <summary>The number of task atoms.</summary>
    public int TaskCount { get; }

    /// <summary>The number of nodes in the execution graph: atoms plus pattern start and end markers.</summary>
    public int NodeCount { get; }

    /// <summary>Whether any atom has a non-zero priority (else dispatch order needs no sorting).</summary>
    public bool HasPriorities { get; }

    /// <summary>Whether the flow has retry controllers.</summary>
    public bool HasRetries { get; }

    /// <summary>Whether any link carries a decider.</summary>
    public bool HasDeciders { get; }

    /// <summary>Successors of each node.</summary>
    internal int[][] Successors { get; }

    /// <summary>Predecessors of each node.</summary>
    internal int[][] Predecessors { get; }

    /// <summary>Names of each node: atom names, then <c>pattern[^]</c> and <c>pattern[$]</c> markers.</summary>
    internal string[] NodeNames { get; }

    /// <summary>What each node is.</summary>
    internal NodeKind[] NodeKinds { get; }

    /// <summary>For each node, the nearest retry controlling it (TaskFlow's <c>find_retry</c>), or -1; for a retry, its parent retry.</summary>
    internal int[] RetryOfNode { get; }

    /// <summary>For each atom, the deciders that apply to it (empty for most).</summary>
    internal DeciderEdge[][] Deciders { get; }

    /// <summary>For each atom, whether some decider reads its result.</summary>
    internal bool[] DeciderSource { get; }

    /// <summary>Every node, each after all its predecessors.</summary>
    internal int[] TopologicalOrder { get; }

    /// <summary>Whether a node is an atom (else a pattern marker).</summary>
    /// <param name="node">The node.</param>
    /// <returns>Whether it is an atom.</returns>
    public bool IsAtom(int node) => node < Atoms.Length;

    /// <summary>The retry that resolves failures of an atom: the nearest enclosing one (TaskFlow's <c>find_retry</c>); for a retry, its parent retry.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>The retry's atom id, or <see langword="null"/> when a failure reverts the whole flow.</returns>
    public int? RetryOf(int atomId) => RetryOfNode[atomId] is >= 0 and var retry ? retry : null;

    /// <summary>The successors of a node in the execution graph.</summary>
    /// <param name="node">The node.</param>
    /// <returns>Its successors.</returns>
    public ReadOnlySpan<int> SuccessorsOf(int node) => Successors[node];

    /// <summary>The predecessors of a node in the execution graph.</summary>
    /// <param name="node">The node.</param>
    /// <returns>Its predecessors.</returns>
    public ReadOnlySpan<int> PredecessorsOf(int node) => Predecessors[node];

    /// <summary>What storage needs to serve this flow: atoms (retries included), bindings, injected values and the inputs.</summary>
    /// <param name="inputs">The flow's inputs.</param>
    /// <returns>The setup.</returns>
    public StorageSetup CreateStorageSetup(ImmutableDictionary<string, object?> inputs)
    {
        // The atoms' part is the same for every run of this compiled flow (which the silo shares between runs): built once.
        if (_setupAtoms.IsDefault)
        {
            _setupAtoms = [.. Atoms.Select(a => new AtomSetup
            {
                Id = a.Id,
                Name = a.Name,
                Provides = a.Provides,
                Injected = a.Injected,
                Arguments = a.Arguments,
            })];
        }

        return new StorageSetup { Inputs = inputs, Atoms = _setupAtoms };
    }

    private ImmutableArray<AtomSetup> _setupAtoms;

    private static int[] SortTopologically(int nodeCount, int[][] successors, int[][] predecessors)
    {
        var remaining = new int[nodeCount];
        var order = new int[nodeCount];
        var count = 0;
        for (var node = 0; node < nodeCount; node++)
        {
            remaining[node] = predecessors[node].Length;
            if (remaining[node] == 0)
            {
                order[count++] = node;
            }
        }

        for (var next = 0; next < count; next++)
        {
            foreach (var successor in successors[order[next]])
            {
                if (--remaining[successor] == 0)
                {
                    order[count++] = successor;
                }
            }
        }

        return count == nodeCount
            ? order
            : throw new InvalidOperationException("The execution graph has a cycle; the compiler should have rejected it.");
    }
}
