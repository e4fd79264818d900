namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>The frame of every page: head, navigation, banners, and the live region the script refreshes.</summary>
internal static class Layout
{
    private static readonly (string Path, string Name, string Key)[] Navigation =
    [
        ("", "Overview", "overview"),
        ("/runs", "Runs", "runs"),
        ("/silos", "Silos", "silos"),
        ("/catalog", "Flows and tasks", "catalog"),
        ("/audit", "Audit log", "audit"),
    ];

    /// <summary>A whole page.</summary>
    /// <param name="page">The request's context.</param>
    /// <param name="title">The page title.</param>
    /// <param name="active">The navigation entry to mark.</param>
    /// <param name="body">Writes the page's content.</param>
    /// <param name="live">Where the script refreshes the page from and listens for changes, if the page is live.</param>
    /// <param name="banner">A warning shown above the content (the store is down, an action did nothing).</param>
    public static string Page(PageContext page, string title, string active, Action<Html> body, LiveRegion? live = null, string? banner = null)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html>").Open("html", ("lang", "en")).Open("head")
            .Raw("<meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Element("title", $"{title} · {page.Options.Title}")
            .Open("link", ("rel", "stylesheet"), ("href", page.Link("/assets/taskflow.css")))
            .Open("script", ("src", page.Link("/assets/taskflow.js")), ("defer", "")).Close("script")
            .Close("head");
        html.Open("body", ("data-base", page.Base));
        html.Open("header", ("class", "top")).Link(page.Link("/"), page.Options.Title, "brand").Open("nav");
        foreach (var (path, name, key) in Navigation)
        {
            html.Element("a", name, ("href", page.Link(path.Length == 0 ? "/" : path)), ("class", key == active ? "active" : null));
        }

        html.Close("nav");
        if (page.Options.ReadOnly)
        {
            html.Element("span", "read-only", ("class", "badge readonly"), ("title", "Actions are switched off (TaskFlowDashboardOptions.ReadOnly)."));
        }

        html.Element("span", "", ("class", "live-status"), ("id", "live-status"));
        html.Close("header");
        html.Open("main");
        if (Notices.Read(page.Http.Request) is { } notice)
        {
            html.Element("div", notice, ("class", "banner notice"), ("role", "status"));
        }

        if (banner is not null)
        {
            html.Element("div", banner, ("class", "banner error"), ("role", "alert"));
        }

        html.Element("h1", title);
        if (live is { } region)
        {
            html.Open("div", ("id", "live"), ("data-live-src", region.Source), ("data-live-stream", region.Stream));
            body(html);
            html.Close("div");
        }
        else
        {
            body(html);
        }

        html.Close("main").Close("body").Close("html");
        return html.ToString();
    }
}

/// <summary>A part of a page that the script reloads from <paramref name="Source"/> whenever <paramref name="Stream"/> (Server-Sent
/// Events) says something changed, or on a timer when the stream cannot be opened.</summary>
/// <param name="Source">The URL of the region's content alone.</param>
/// <param name="Stream">The URL of the change stream.</param>
internal readonly record struct LiveRegion(string Source, string Stream);
