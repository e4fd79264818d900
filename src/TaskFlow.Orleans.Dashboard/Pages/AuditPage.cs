using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Dashboard.Audit;
using TaskFlow.Orleans.Dashboard.Rendering;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>The audit log: every action taken from the dashboard, newest first.</summary>
internal static class AuditPage
{
    public static async Task<string> RenderAsync(PageContext page)
    {
        var entries = await page.Http.RequestServices.GetRequiredService<ITaskFlowAuditLog>().ReadLatestAsync(200, page.Aborted);
        return Layout.Page(page, "Audit log", "audit", html =>
        {
            if (entries.Count == 0)
            {
                html.Element("p", "No action has been taken from this dashboard.", ("class", "none"));
                return;
            }

            html.Open("table", ("class", "audit"), ("id", "audit")).Open("thead").Open("tr");
            foreach (var header in new[] { "When", "Who", "From", "Action", "Run", "Outcome" })
            {
                html.Element("th", header);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var entry in entries)
            {
                html.Open("tr", ("data-action", RunActions.Slug(entry.Action))).Open("td").Time(entry.At).Close("td")
                    .Element("td", entry.User).Element("td", entry.RemoteAddress ?? "–").Element("td", RunActions.Slug(entry.Action))
                    .Open("td").Link(page.RunLink(entry.FlowId), entry.FlowId).Close("td").Element("td", entry.Outcome).Close("tr");
            }

            html.Close("tbody").Close("table");
        });
    }
}
