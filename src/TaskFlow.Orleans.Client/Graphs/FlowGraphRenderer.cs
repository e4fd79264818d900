using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>Draws a flow run's <see cref="FlowGraph"/> as Graphviz DOT, a Mermaid flowchart or a standalone SVG, coloured by
/// the states of its atoms.</summary>
/// <remarks>
/// <para>Read the graph with <see cref="ITaskFlowClient.GetGraphAsync"/> and the states from a snapshot (e.g.
/// <c>snapshot.Atoms.ToDictionary(a =&gt; a.Name, a =&gt; a.State)</c>). Patterns are drawn as nested boxes (clusters)
/// labelled with their name and kind, atoms as rounded boxes with their atom and task names, retry controllers marked as such.
/// An edge that carries a link decider is marked; when the decider said no (its target is IGNOREd) it is drawn dashed.</para>
/// <para>Every name is escaped for the output format, so names containing markup, quotes or ampersands are shown as text.</para>
/// </remarks>
public static class FlowGraphRenderer
{
    /// <summary>Writes the graph in Graphviz DOT: a <c>subgraph cluster_N</c> per pattern, atoms filled by state.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="states">Atom states by atom name; an atom without one is PENDING.</param>
    /// <returns>The DOT text (<c>dot -Tsvg</c> draws it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string ToDot(FlowGraph graph, IReadOnlyDictionary<string, AtomState>? states = null) =>
        DotWriter.Write(new GraphModel(graph, states));

    /// <summary>Writes the graph as a Mermaid <c>flowchart TD</c>: a subgraph per pattern, a class per state.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="states">Atom states by atom name; an atom without one is PENDING.</param>
    /// <returns>The Mermaid text (node ids are <c>nN</c>, subgraph ids <c>cN</c>; names appear only in quoted labels).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string ToMermaid(FlowGraph graph, IReadOnlyDictionary<string, AtomState>? states = null) =>
        MermaidWriter.Write(new GraphModel(graph, states));

    /// <summary>Draws the graph as a standalone SVG document, laid out top to bottom: every atom below the atoms it runs after.</summary>
    /// <remarks>
    /// The document has a width, height and viewBox, colours set inline (no styles, scripts or external references), so it can
    /// be saved as a file or put inline in a page. Each atom is a <c>&lt;g class="atom" data-atom="NAME" data-state="STATE"&gt;</c>
    /// (STATE as <see cref="StateNames.Of(AtomState)"/> names it, <c>PENDING</c> when unknown) with a <c>&lt;title&gt;</c>
    /// for hover; each pattern a <c>&lt;g class="cluster" data-cluster="NAME"&gt;</c>; each edge a
    /// <c>&lt;path class="edge" data-from="A" data-to="B"&gt;</c>, with <c>data-decider="true"</c> when a decider is on it.
    /// </remarks>
    /// <param name="graph">The graph.</param>
    /// <param name="states">Atom states by atom name; an atom without one is PENDING.</param>
    /// <returns>The SVG document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string ToSvg(FlowGraph graph, IReadOnlyDictionary<string, AtomState>? states = null) =>
        SvgWriter.Write(new GraphModel(graph, states));
}
