using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>A bad query parameter: which one and why.</summary>
internal sealed class BadParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>The runs list's filters as they appear in its URL (so a filtered list can be shared), read into a
/// <see cref="FlowQuery"/>.</summary>
internal static class RunFilter
{
    /// <summary>The query parameters the runs list and <c>api/runs</c> read.</summary>
    public static readonly string[] Parameters = ["state", "name", "tag", "id", "from", "before", "size", "after"];

    /// <summary>Reads the filter from the request's query string.</summary>
    /// <exception cref="BadParameterException">A parameter is malformed; the message says which and why.</exception>
    public static FlowQuery Read(IQueryCollection query)
    {
        var states = new List<FlowState>();
        foreach (var value in query["state"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            states.Add(ParseState(value) ?? throw new BadParameterException("state",
                $"state '{value}' is not a flow state; use one of {string.Join(", ", Enum.GetValues<FlowState>().Select(StateNames.Of))}."));
        }

        var size = 50;
        if (Text(query, "size") is { } sizeText &&
            (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > FlowQuery.MaxPageSize))
        {
            throw new BadParameterException("size", $"size '{sizeText}' must be a whole number from 1 to {FlowQuery.MaxPageSize}.");
        }

        var filter = new FlowQuery
        {
            States = [.. states.Distinct()],
            Name = Text(query, "name"),
            Tag = Text(query, "tag"),
            IdPrefix = Text(query, "id"),
            CreatedFrom = Time(query, "from"),
            CreatedBefore = Time(query, "before"),
            PageSize = size,
            After = Text(query, "after"),
        };

        try
        {
            filter.Validate();
        }
        catch (ArgumentException exception)
        {
            var parameter = exception.ParamName switch
            {
                nameof(FlowQuery.After) => "after",
                nameof(FlowQuery.CreatedBefore) => "before",
                nameof(FlowQuery.PageSize) => "size",
                _ => exception.ParamName ?? "query",
            };
            throw new BadParameterException(parameter, $"{parameter}: {exception.Message.Split(" (Parameter")[0]}");
        }

        return filter;
    }

    /// <summary>The query string of a filter, for links to it (its page token left out unless given).</summary>
    public static string ToQueryString(FlowQuery filter, string? after = null)
    {
        var parts = new List<string>();
        parts.AddRange(filter.States.Select(s => "state=" + StateNames.Of(s)));
        Add(parts, "name", filter.Name);
        Add(parts, "tag", filter.Tag);
        Add(parts, "id", filter.IdPrefix);
        Add(parts, "from", filter.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Add(parts, "before", filter.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        if (filter.PageSize != 50)
        {
            Add(parts, "size", filter.PageSize.ToString(CultureInfo.InvariantCulture));
        }

        Add(parts, "after", after);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>A flow state from its TaskFlow name (any case), or null.</summary>
    public static FlowState? ParseState(string value) =>
        Enum.GetValues<FlowState>().Cast<FlowState?>().FirstOrDefault(s => string.Equals(StateNames.Of(s!.Value), value, StringComparison.OrdinalIgnoreCase));

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }

    private static string? Text(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new BadParameterException(name, $"{name} '{text}' is not a time; use ISO 8601, e.g. 2026-11-28T12:00:00Z.");
    }

    /// <summary>The states in a filter, for a form's check boxes.</summary>
    public static ImmutableHashSet<FlowState> Selected(FlowQuery filter) => [.. filter.States];
}
