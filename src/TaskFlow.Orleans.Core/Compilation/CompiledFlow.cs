using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>
/// A validated flow flattened into one execution graph. Nodes <c>0..AtomCount-1</c> are the task atoms (ids in
/// definition order); the nodes after them mark where each pattern starts and ends (TaskFlow's flow and
/// <c>Terminator</c> nodes), so joining two patterns costs one edge per item, not one per pair of items.
/// </summary>
public sealed class CompiledFlow
{
    internal CompiledFlow(
        FlowDefinition definition,
        ImmutableArray<CompiledAtom> atoms,
        int nodeCount,
        int[][] successors,
        int[][] predecessors,
        string[] nodeNames)
    {
        Definition = definition;
        Atoms = atoms;
        NodeCount = nodeCount;
        Successors = successors;
        Predecessors = predecessors;
        NodeNames = nodeNames;
        HasPriorities = atoms.Any(a => a.Priority != 0);
    }

    /// <summary>The definition it was compiled from.</summary>
    public FlowDefinition Definition { get; }

    /// <summary>The flow's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The task atoms, indexed by id.</summary>
    public ImmutableArray<CompiledAtom> Atoms { get; }

    /// <summary>The number of task atoms.</summary>
    public int AtomCount => Atoms.Length;

    /// <summary>The number of nodes in the execution graph: atoms plus pattern start and end markers.</summary>
    public int NodeCount { get; }

    /// <summary>Whether any atom has a non-zero priority (else dispatch order needs no sorting).</summary>
    public bool HasPriorities { get; }

    /// <summary>Successors of each node.</summary>
    internal int[][] Successors { get; }

    /// <summary>Predecessors of each node.</summary>
    internal int[][] Predecessors { get; }

    /// <summary>Names of each node: atom names, then <c>pattern[^]</c> and <c>pattern[$]</c> markers.</summary>
    internal string[] NodeNames { get; }

    /// <summary>Whether a node is a task atom (else a pattern marker).</summary>
    /// <param name="node">The node.</param>
    /// <returns>Whether it is an atom.</returns>
    public bool IsAtom(int node) => node < Atoms.Length;

    /// <summary>The successors of a node in the execution graph.</summary>
    /// <param name="node">The node.</param>
    /// <returns>Its successors.</returns>
    public ReadOnlySpan<int> SuccessorsOf(int node) => Successors[node];

    /// <summary>The predecessors of a node in the execution graph.</summary>
    /// <param name="node">The node.</param>
    /// <returns>Its predecessors.</returns>
    public ReadOnlySpan<int> PredecessorsOf(int node) => Predecessors[node];

    /// <summary>What storage needs to serve this flow: atoms, bindings, injected values and the inputs.</summary>
    /// <param name="inputs">The flow's inputs.</param>
    /// <returns>The setup.</returns>
    public StorageSetup CreateStorageSetup(ImmutableDictionary<string, object?> inputs) => new()
    {
        Inputs = inputs,
        Atoms = [.. Atoms.Select(a => new AtomSetup
        {
            Id = a.Id,
            Name = a.Name,
            Provides = a.Provides,
            Injected = a.Injected,
            Arguments = a.Arguments,
        })],
    };
}
