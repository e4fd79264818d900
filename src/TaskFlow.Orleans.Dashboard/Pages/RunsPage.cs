using System.Globalization;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>The runs list: the run index with filters, paging by key, totals and shareable URLs.</summary>
internal static class RunsPage
{
    public static async Task<string> RenderAsync(PageContext page, bool fragment)
    {
        var filter = RunFilter.Read(page.Http.Request.Query);
        var result = await page.Client.ListFlowsAsync(filter, page.Aborted);
        void Body(Html html) => WriteTable(html, page, filter, result);
        if (fragment)
        {
            var html = new Html();
            Body(html);
            return html.ToString();
        }

        var query = page.Http.Request.QueryString.Value ?? "";
        return Layout.Page(page, "Runs", "runs", html =>
        {
            WriteFilterForm(html, page, filter);
            html.Open("div", ("id", "live"), ("data-live-src", page.Link("/runs/fragment") + query), ("data-live-stream", page.Link("/api/live")));
            Body(html);
            html.Close("div");
        });
    }

    private static void WriteFilterForm(Html html, PageContext page, FlowQuery filter)
    {
        var selected = RunFilter.Selected(filter);
        html.Open("form", ("method", "get"), ("action", page.Link("/runs")), ("class", "filters"), ("id", "run-filters"));
        html.Open("fieldset", ("class", "states")).Element("legend", "State");
        foreach (var state in Enum.GetValues<FlowState>())
        {
            var name = StateNames.Of(state);
            html.Open("label").Open("input", ("type", "checkbox"), ("name", "state"), ("value", name), ("checked", selected.Contains(state) ? "" : null))
                .Text(" " + name).Close("label");
        }

        html.Close("fieldset");
        Field(html, "name", "Flow or factory", filter.Name);
        Field(html, "tag", "Tag", filter.Tag);
        Field(html, "id", "Id starts with", filter.IdPrefix);
        Field(html, "from", "Created from (UTC)", filter.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Field(html, "before", "Created before (UTC)", filter.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Field(html, "size", "Per page", filter.PageSize.ToString(CultureInfo.InvariantCulture));
        html.Element("button", "Filter", ("type", "submit")).Link(page.Link("/runs"), "Clear", "clear");
        html.Close("form");
    }

    private static void Field(Html html, string name, string label, string? value) =>
        html.Open("label").Text(label).Open("input", ("type", "text"), ("name", name), ("value", value ?? "")).Close("label");

    private static void WriteTable(Html html, PageContext page, FlowQuery filter, FlowPage result)
    {
        html.Open("p", ("class", "total")).Element("strong", result.Total.ToString("N0", CultureInfo.InvariantCulture), ("id", "run-total"))
            .Text(result.Total == 1 ? " run matches" : " runs match").Close("p");
        if (result.Flows.IsEmpty)
        {
            html.Element("p", filter.After is null ? "No run matches these filters." : "No more runs.", ("class", "none"));
        }
        else
        {
            html.Open("table", ("class", "runs"), ("id", "runs")).Open("thead").Open("tr");
            foreach (var header in new[] { "Run", "Flow", "State", "Atoms", "Created", "Updated", "Finished", "Silo", "Tags", "Failure" })
            {
                html.Element("th", header);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var run in result.Flows)
            {
                WriteRow(html, page, run);
            }

            html.Close("tbody").Close("table");
        }

        html.Open("nav", ("class", "pager"));
        if (filter.After is not null)
        {
            html.Link(page.Link("/runs") + RunFilter.ToQueryString(filter with { After = null }), "First page");
        }

        if (result.Next is { } next)
        {
            html.Link(page.Link("/runs") + RunFilter.ToQueryString(filter, next), "Next page", "next");
        }

        html.Close("nav");
    }

    private static void WriteRow(Html html, PageContext page, FlowSummary run)
    {
        html.Open("tr", ("data-flow-id", run.FlowId), ("data-state", StateNames.Of(run.State)));
        html.Open("td").Link(page.RunLink(run.FlowId), run.FlowId, "run-link").Close("td");
        html.Open("td").Text(run.FactoryName ?? run.FlowName);
        if (run.FactoryName is not null && run.FactoryName != run.FlowName)
        {
            html.Element("span", " (" + run.FlowName + ")", ("class", "muted"));
        }

        html.Close("td");
        html.Open("td").Badge(run.State).Close("td");
        html.Open("td", ("class", "counts"));
        foreach (var (state, count) in run.AtomCounts.OrderBy(pair => pair.Key))
        {
            html.Element("span", $"{count} {StateNames.Of(state)}", ("class", Components.StateClass(StateNames.Of(state)) + " count"),
                ("data-atom-state", StateNames.Of(state)), ("data-count", count.ToString(CultureInfo.InvariantCulture)));
        }

        html.Close("td");
        html.Open("td").Time(run.CreatedAt).Close("td");
        html.Open("td").Time(run.UpdatedAt).Close("td");
        html.Open("td").Time(run.FinishedAt).Close("td");
        html.Element("td", run.Silo ?? "–");
        html.Open("td");
        foreach (var tag in run.Tags)
        {
            html.Link(page.Link("/runs?tag=" + Html.Url(tag)), tag, "tag");
        }

        html.Close("td");
        html.Element("td", run.FailureSummary ?? "", ("class", "failure"));
        html.Close("tr");
    }
}
