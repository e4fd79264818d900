using TaskFlow.Orleans.Cluster;
using TaskFlow.Orleans.Dashboard.Rendering;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>The silos: address, status, capabilities, and the tasks and flow factories each hosts.</summary>
internal static class SilosPage
{
    public static async Task<string> RenderAsync(PageContext page)
    {
        var cluster = await page.Client.GetClusterAsync(page.Aborted);
        return Layout.Page(page, "Silos", "silos", html =>
        {
            if (cluster.Silos.IsEmpty)
            {
                html.Element("p", "No silo is known to the cluster.", ("class", "none"));
                return;
            }

            html.Open("table", ("class", "silos"), ("id", "silos")).Open("thead").Open("tr");
            foreach (var header in new[] { "Silo", "Name", "Status", "Started", "Active flows", "Capabilities", "Tasks", "Flow factories" })
            {
                html.Element("th", header);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var silo in cluster.Silos.OrderBy(s => s.Address, StringComparer.Ordinal))
            {
                html.Open("tr", ("data-silo", silo.Address), ("data-status", silo.Status))
                    .Element("td", silo.Address).Element("td", silo.Name ?? "–")
                    .Open("td").Element("span", silo.Status, ("class", silo.Status == "Active" ? "state state-success" : "state state-failure")).Close("td")
                    .Open("td").Time(silo.StartedAt).Close("td")
                    .Element("td", silo.ActiveFlows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–");
                List(html, silo.Capabilities);
                List(html, silo.Tasks);
                List(html, silo.Factories);
                html.Close("tr");
            }

            html.Close("tbody").Close("table");
        });
    }

    internal static void List(Html html, IEnumerable<string> names)
    {
        html.Open("td");
        foreach (var name in names)
        {
            html.Element("span", name, ("class", "tag"));
        }

        html.Close("td");
    }
}
