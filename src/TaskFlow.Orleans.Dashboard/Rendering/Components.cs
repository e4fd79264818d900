using System.Globalization;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>Small pieces shared by pages: state badges, times, values, action buttons.</summary>
internal static class Components
{
    /// <summary>A state's CSS class, e.g. <c>state-success</c>.</summary>
    public static string StateClass(string stateName) => "state state-" + stateName.ToLowerInvariant().Replace('_', '-');

    /// <summary>A flow state badge.</summary>
    public static Html Badge(this Html html, FlowState state) => html.Badge(StateNames.Of(state));

    /// <summary>An atom state badge.</summary>
    public static Html Badge(this Html html, AtomState state) => html.Badge(StateNames.Of(state));

    private static Html Badge(this Html html, string name) =>
        html.Element("span", name, ("class", StateClass(name)), ("data-state", name));

    /// <summary>A time in UTC, with the machine-readable form for scripts and tests.</summary>
    public static Html Time(this Html html, DateTimeOffset? time) =>
        time is { } t
            ? html.Element("time", t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ("datetime", t.ToString("O", CultureInfo.InvariantCulture)))
            : html.Element("span", "–", ("class", "none"));

    /// <summary>A duration as people read it.</summary>
    public static string Duration(TimeSpan span) => span.TotalMilliseconds switch
    {
        < 1 => "<1 ms",
        < 1_000 => $"{span.TotalMilliseconds:0} ms",
        < 60_000 => $"{span.TotalSeconds:0.0} s",
        < 3_600_000 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes} min",
    };

    /// <summary>A value (input, result, argument): masked as <c>***</c>, or its JSON, cut with its size and a link to all of it.</summary>
    public static Html Value(this Html html, PageContext page, object? value, bool masked, string? wholeLink)
    {
        var shown = page.Values.Show(value, masked);
        html.Element("code", shown.Text, ("class", shown.IsMasked ? "value masked" : "value"));
        if (shown.IsCut)
        {
            html.Element("span", $" … cut at {page.Options.MaxValueLength} of {ValueFormatter.Size(shown.Length)}", ("class", "cut"));
            if (wholeLink is not null)
            {
                html.Raw(" ").Link(wholeLink, "the whole value", "whole");
            }
        }

        return html;
    }

    /// <summary>A key and value table.</summary>
    public static Html Values(this Html html, PageContext page, IEnumerable<KeyValuePair<string, object?>> values, Func<string, string?> wholeLink, string emptyText)
    {
        var list = values.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return html.Element("p", emptyText, ("class", "none"));
        }

        html.Open("table", ("class", "values")).Open("tbody");
        foreach (var (key, value) in list)
        {
            html.Open("tr", ("data-key", key)).Element("th", key).Open("td").Value(page, value, page.Values.IsMasked(key), wholeLink(key)).Close("td").Close("tr");
        }

        return html.Close("tbody").Close("table");
    }
}
