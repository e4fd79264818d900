using System.Globalization;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>One run: its graph coloured by state, failures, atoms, inputs and results, timeline and live events. Read from the
/// run's logbook, so looking at a stopped or crashed run never wakes or resumes it.</summary>
internal static class RunPage
{
    public static async Task<string> RenderAsync(PageContext page, string flowId, bool fragment)
    {
        var run = await RunView.LoadAsync(page, flowId);
        if (fragment)
        {
            var html = new Html();
            WriteLive(html, page, run);
            return html.ToString();
        }

        var snapshot = run.Snapshot;
        return Layout.Page(page, snapshot.FactoryName ?? snapshot.FlowName, "runs", html =>
        {
            html.Open("p", ("class", "run-id")).Text("Run ").Element("code", snapshot.FlowId, ("id", "flow-id")).Close("p");
            html.Open("div", ("id", "live"), ("data-live-src", page.RunLink(flowId) + "/fragment"),
                ("data-live-stream", snapshot.IsFinished ? null : page.Link("/api/runs/" + Html.Url(flowId) + "/live")),
                ("data-finished", snapshot.IsFinished ? "true" : "false"));
            WriteLive(html, page, run);
            html.Close("div");
            WriteEventHistory(html, page, snapshot);
        });
    }

    private static void WriteLive(Html html, PageContext page, RunView run)
    {
        var snapshot = run.Snapshot;
        WriteSummary(html, page, snapshot);
        RunActions.WriteButtons(html, page, snapshot);
        html.Open("section", ("class", "graph"), ("id", "graph")).Element("h2", "Graph");
        if (run.GraphSvg is { } svg)
        {
            html.Raw(svg);
        }
        else
        {
            html.Element("p", run.GraphProblem ?? "The graph is not available.", ("class", "none"));
        }

        html.Close("section");
        WriteFailures(html, snapshot);
        WriteAtoms(html, page, run);
        html.Open("section", ("class", "timeline")).Element("h2", "Timeline");
        Timeline.Write(html, snapshot);
        html.Close("section");
        html.Open("section", ("class", "inputs")).Element("h2", "Inputs")
            .Values(page, run.Inputs, key => page.RunLink(snapshot.FlowId) + "/values/input/" + Html.Url(key), "No inputs.").Close("section");
        html.Open("section", ("class", "results")).Element("h2", "Results")
            .Values(page, snapshot.Results, key => page.RunLink(snapshot.FlowId) + "/values/result/" + Html.Url(key), "No results yet.").Close("section");
    }

    private static void WriteSummary(Html html, PageContext page, FlowSnapshot snapshot)
    {
        html.Open("dl", ("class", "summary"));
        html.Element("dt", "State").Open("dd", ("id", "flow-state")).Badge(snapshot.State).Close("dd");
        html.Element("dt", "Flow").Element("dd", snapshot.FlowName);
        if (snapshot.FactoryName is not null)
        {
            html.Element("dt", "Factory").Element("dd", snapshot.FactoryName);
        }

        html.Element("dt", "Created").Open("dd").Time(snapshot.CreatedAt).Close("dd");
        html.Element("dt", "Finished").Open("dd").Time(snapshot.FinishedAt).Close("dd");
        if (snapshot.FinishedAt is { } finished)
        {
            html.Element("dt", "Took").Element("dd", Components.Duration(finished - snapshot.CreatedAt));
        }

        html.Element("dt", "Updated").Open("dd").Time(snapshot.UpdatedAt).Close("dd");
        html.Element("dt", "Silo").Element("dd", snapshot.Silo ?? "–");
        html.Element("dt", "Durability").Element("dd", snapshot.Durability.ToString());
        html.Element("dt", "Tags").Open("dd");
        foreach (var tag in snapshot.Tags)
        {
            html.Link(page.Link("/runs?tag=" + Html.Url(tag)), tag, "tag");
        }

        html.Close("dd");
        html.Element("dt", "Read from").Element("dd", snapshot.Source == SnapshotSource.Logbook
            ? "the run's logbook (the run was not woken)"
            : "the run's engine");
        html.Close("dl");
    }

    private static void WriteFailures(Html html, FlowSnapshot snapshot)
    {
        if (snapshot.Failures.IsEmpty)
        {
            return;
        }

        html.Open("section", ("class", "failures"), ("id", "failures")).Element("h2", "Failures");
        foreach (var (atom, failure) in snapshot.Failures.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            html.Open("article", ("class", "failure"), ("data-atom", atom)).Element("h3", atom);
            WriteFailure(html, failure);
            html.Close("article");
        }

        html.Close("section");
    }

    /// <summary>A failure with its type, message, stack trace and causes.</summary>
    public static void WriteFailure(Html html, Failure failure)
    {
        var depth = 0;
        for (var current = failure; current is not null; current = current.Cause, depth++)
        {
            html.Open("div", ("class", depth == 0 ? "exception" : "exception cause"));
            if (depth > 0)
            {
                html.Element("span", "caused by ", ("class", "muted"));
            }

            html.Element("span", current.ExceptionTypeName, ("class", "exception-type"))
                .Text(": ").Element("span", current.Message, ("class", "exception-message"));
            if (!string.IsNullOrEmpty(current.StackTrace))
            {
                html.Open("details", ("class", "stack"), ("open", depth == 0 ? "" : null)).Element("summary", "Stack trace")
                    .Element("pre", current.StackTrace, ("class", "stack-trace")).Close("details");
            }

            html.Close("div");
        }
    }

    private static void WriteAtoms(Html html, PageContext page, RunView run)
    {
        var snapshot = run.Snapshot;
        html.Open("section", ("class", "atoms")).Element("h2", "Atoms");
        html.Open("table", ("class", "atoms"), ("id", "atoms")).Open("thead").Open("tr");
        foreach (var header in new[] { "Atom", "Task", "State", "Intention", "Calls", "Progress", "Started", "Took", "Ran on", "Arguments", "Result", "Failure" })
        {
            html.Element("th", header);
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var atom in snapshot.Atoms)
        {
            var state = StateNames.Of(atom.State);
            html.Open("tr", ("data-atom", atom.Name), ("data-state", state));
            html.Element("td", atom.Name, ("class", "atom-name"));
            html.Element("td", atom.IsRetry ? "retry controller" : atom.TaskName, ("class", atom.IsRetry ? "retry" : null));
            html.Open("td", ("class", "atom-state")).Badge(atom.State).Close("td");
            html.Element("td", atom.Intention.ToString().ToUpperInvariant());
            html.Element("td", RunView.Calls(atom));
            html.Open("td").Open("progress", ("max", "1"), ("value", atom.Progress.ToString("0.###", CultureInfo.InvariantCulture))).Close("progress")
                .Element("span", $" {atom.Progress:P0}", ("class", "muted"));
            if (atom.ProgressDetails is not null)
            {
                html.Element("div", atom.ProgressDetails, ("class", "progress-details"));
            }

            html.Close("td");
            html.Open("td").Time(atom.StartedAt).Close("td");
            html.Element("td", atom.StartedAt is { } s && atom.FinishedAt is { } f && f >= s ? Components.Duration(f - s) : "–");
            html.Element("td", atom.RanOn ?? "–");
            html.Open("td", ("class", "atom-arguments"));
            foreach (var (name, value) in atom.Arguments.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                html.Open("div", ("data-argument", name)).Element("span", name + " = ", ("class", "muted"))
                    .Value(page, value, run.IsArgumentMasked(atom, name), wholeLink: null).Close("div");
            }

            html.Close("td");
            html.Open("td", ("class", "atom-result"));
            if (atom.State == AtomState.Success || atom.Result is not null)
            {
                html.Value(page, atom.Result, run.IsResultMasked(atom), page.RunLink(snapshot.FlowId) + "/values/atom/" + Html.Url(atom.Name));
            }

            html.Close("td");
            html.Open("td", ("class", "atom-failure"));
            foreach (var failure in new[] { atom.Failure, atom.RevertFailure })
            {
                if (failure is not null)
                {
                    html.Element("span", failure.ExceptionTypeName.Split('.')[^1], ("class", "exception-type"))
                        .Text(": ").Element("span", failure.Message, ("class", "exception-message"));
                }
            }

            html.Close("td").Close("tr");
        }

        html.Close("tbody").Close("table").Close("section");
    }

    private static void WriteEventHistory(Html html, PageContext page, FlowSnapshot snapshot)
    {
        html.Open("section", ("class", "events"), ("id", "event-history")).Element("h2", "Event history");
        // The page above follows the run's logbook, which never wakes the run. The events come from the run's engine: asking
        // for them activates it, which resumes a run whose silo died, so it is the operator's choice.
        html.Element("p", "The events the run's engine holds (since it was last activated), then each one as it happens. Following " +
                          "them asks the engine: a run that is not finished and whose silo died is resumed by it.", ("class", "muted"));
        html.Open("button", ("type", "button"), ("id", "load-events"), ("data-stream", page.Link("/api/runs/" + Html.Url(snapshot.FlowId) + "/events")))
            .Text("Follow the engine's events").Close("button");

        html.Open("table", ("class", "events"), ("id", "events")).Open("thead").Open("tr")
            .Element("th", "#").Element("th", "Time").Element("th", "Atom or flow").Element("th", "State").Element("th", "Details")
            .Close("tr").Close("thead").Open("tbody").Close("tbody").Close("table").Close("section");
    }
}
