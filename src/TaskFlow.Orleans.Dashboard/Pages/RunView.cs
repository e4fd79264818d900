using System.Collections.Immutable;
using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>What the run page and the run's JSON show: the stored snapshot, the graph, and which values are masked.</summary>
internal sealed class RunView
{
    private readonly ImmutableDictionary<string, ImmutableArray<string>> _provides;
    private readonly ValueFormatter _values;

    private RunView(FlowSnapshot snapshot, ValueFormatter values, ImmutableDictionary<string, ImmutableArray<string>> provides,
        string? graphSvg, string? graphProblem)
    {
        Snapshot = snapshot;
        _values = values.For(snapshot);
        _provides = provides;
        GraphSvg = graphSvg;
        GraphProblem = graphProblem;
    }

    public FlowSnapshot Snapshot { get; }

    /// <summary>The graph drawn as SVG, coloured by the atoms' states.</summary>
    public string? GraphSvg { get; }

    /// <summary>Why there is no graph, if there is none.</summary>
    public string? GraphProblem { get; }

    /// <summary>The run's inputs.</summary>
    public IReadOnlyDictionary<string, object?> Inputs => Snapshot.Inputs;

    /// <summary>Reads the run from its logbook (never waking it) and draws its graph.</summary>
    /// <exception cref="FlowNotFoundException">No run has the id.</exception>
    public static async Task<RunView> LoadAsync(PageContext page, string flowId, bool withGraph = true)
    {
        var snapshot = await page.Client.GetStoredSnapshotAsync(flowId, page.Aborted);
        if (!withGraph)
        {
            return new RunView(snapshot, page.Values, ImmutableDictionary<string, ImmutableArray<string>>.Empty, null, null);
        }

        FlowGraph graph;
        try
        {
            graph = await page.Client.GetGraphAsync(flowId, page.Aborted);
        }
        catch (Exception exception) when (exception is TaskFlowException and not FlowNotFoundException)
        {
            // A flow whose task is no longer registered (after a redeploy) cannot be compiled again: the page shows the rest.
            return new RunView(snapshot, page.Values, ImmutableDictionary<string, ImmutableArray<string>>.Empty, null,
                $"The graph cannot be drawn: {exception.Message}");
        }

        var states = snapshot.Atoms.ToDictionary(a => a.Name, a => a.State, StringComparer.Ordinal);
        return new RunView(snapshot, page.Values, graph.Nodes.ToImmutableDictionary(n => n.Name, n => n.Provides, StringComparer.Ordinal),
            FlowGraphRenderer.ToSvg(graph, states), null) { Graph = graph };
    }

    /// <summary>The compiled graph, when it could be read.</summary>
    public FlowGraph? Graph { get; private init; }

    /// <summary>Whether an atom's result is hidden: it provides a masked name, or what it provides is unknown while names are masked.</summary>
    public bool IsResultMasked(AtomSnapshot atom) =>
        _provides.TryGetValue(atom.Name, out var provides) ? _values.AnyMasked(provides) : _values.HasMaskedKeys;

    /// <summary>Whether an argument of an atom is hidden: its name is masked, or the atom reads a masked stored name (a rebound
    /// argument carries the secret under another name), or its result is masked (what a task returns is often what it was given).</summary>
    public bool IsArgumentMasked(AtomSnapshot atom, string argument) =>
        _values.IsMasked(argument) || _values.AnyMasked(atom.Requires) || IsResultMasked(atom) ||
        Graph?.Nodes.FirstOrDefault(n => n.Name == atom.Name) is { } node && _values.AnyMasked(node.Requires);

    /// <summary>How many times the atom was executed or reverted.</summary>
    public static string Calls(AtomSnapshot atom) => atom.Calls.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
