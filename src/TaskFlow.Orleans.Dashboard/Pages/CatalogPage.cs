using TaskFlow.Orleans.Dashboard.Rendering;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>What the cluster can run: the registered flow factories and tasks, with their requires and provides.</summary>
internal static class CatalogPage
{
    public static async Task<string> RenderAsync(PageContext page)
    {
        var catalog = await page.Client.GetCatalogAsync(page.Aborted);
        return Layout.Page(page, "Flows and tasks", "catalog", html =>
        {
            html.Open("section", ("class", "factories")).Element("h2", "Flow factories");
            Table(html, "factories", ["Factory", "Description", "Requires", "Provides"], catalog.Factories.OrderBy(f => f.Name, StringComparer.Ordinal),
                (row, factory) =>
                {
                    row.Open("td").Link(page.Link("/runs?name=" + Html.Url(factory.Name)), factory.Name).Close("td").Element("td", factory.Description ?? "");
                    SilosPage.List(row, factory.Requires);
                    SilosPage.List(row, factory.Provides);
                }, factory => factory.Name);
            html.Close("section");
            html.Open("section", ("class", "tasks")).Element("h2", "Tasks");
            Table(html, "tasks", ["Task", "Requires", "Optional", "Provides", "Needs capabilities"], catalog.Tasks.OrderBy(t => t.Name, StringComparer.Ordinal),
                (row, task) =>
                {
                    row.Element("td", task.Name);
                    SilosPage.List(row, task.Requires);
                    SilosPage.List(row, task.Optional);
                    SilosPage.List(row, task.Provides);
                    SilosPage.List(row, task.Capabilities);
                }, task => task.Name);
            html.Close("section");
        });
    }

    private static void Table<T>(Html html, string id, string[] headers, IEnumerable<T> items, Action<Html, T> writeRow, Func<T, string> key)
    {
        html.Open("table", ("id", id)).Open("thead").Open("tr");
        foreach (var header in headers)
        {
            html.Element("th", header);
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var item in items)
        {
            html.Open("tr", ("data-name", key(item)));
            writeRow(html, item);
            html.Close("tr");
        }

        html.Close("tbody").Close("table");
    }
}
