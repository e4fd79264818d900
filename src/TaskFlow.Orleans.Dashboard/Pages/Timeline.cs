using System.Globalization;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>A Gantt chart of the run's atoms: one bar per atom from its last call's start to its end (or to now while it runs),
/// coloured by its state, so a revert wave shows as the late bars of reverted atoms.</summary>
internal static class Timeline
{
    private const int LabelWidth = 180;
    private const int ChartWidth = 720;
    private const int RowHeight = 20;

    public static void Write(Html html, FlowSnapshot snapshot)
    {
        var atoms = snapshot.Atoms.Where(a => a.StartedAt is not null).OrderBy(a => a.StartedAt).ToList();
        if (atoms.Count == 0)
        {
            html.Element("p", "No atom has started yet.", ("class", "none"));
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var start = atoms.Min(a => a.StartedAt!.Value);
        var end = atoms.Max(a => a.FinishedAt ?? (snapshot.IsFinished ? a.StartedAt!.Value : now));
        var span = Math.Max((end - start).TotalMilliseconds, 1);
        var height = atoms.Count * RowHeight + 24;
        string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        html.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "timeline"), ("id", "timeline"),
            ("width", N(LabelWidth + ChartWidth + 10)), ("height", N(height)), ("viewBox", $"0 0 {LabelWidth + ChartWidth + 10} {height}"),
            ("role", "img"), ("aria-label", "Timeline of the run's atoms"));
        for (var row = 0; row < atoms.Count; row++)
        {
            var atom = atoms[row];
            var from = (atom.StartedAt!.Value - start).TotalMilliseconds / span * ChartWidth;
            var to = ((atom.FinishedAt ?? (snapshot.IsFinished ? atom.StartedAt!.Value : now)) - start).TotalMilliseconds / span * ChartWidth;
            var state = StateNames.Of(atom.State);
            var y = row * RowHeight;
            html.Open("g", ("class", "bar " + Components.StateClass(state)), ("data-atom", atom.Name), ("data-state", state));
            html.Element("title", $"{atom.Name}: {state}" + (atom.FinishedAt is { } f ? $", {Components.Duration(f - atom.StartedAt!.Value)}" : ", running"));
            html.Element("text", atom.Name.Length > 24 ? atom.Name[..23] + "…" : atom.Name, ("x", "0"), ("y", N(y + 14)), ("class", "label"));
            html.Element("rect", null, ("x", N(LabelWidth + from)), ("y", N(y + 3)), ("width", N(Math.Max(to - from, 2))), ("height", N(RowHeight - 6)),
                ("rx", "3"));
            html.Close("g");
        }

        var axis = atoms.Count * RowHeight + 16;
        html.Element("text", "0", ("x", N(LabelWidth)), ("y", N(axis)), ("class", "axis"));
        html.Element("text", Components.Duration(TimeSpan.FromMilliseconds(span)), ("x", N(LabelWidth + ChartWidth)), ("y", N(axis)),
            ("class", "axis"), ("text-anchor", "end"));
        html.Close("svg");
    }
}
