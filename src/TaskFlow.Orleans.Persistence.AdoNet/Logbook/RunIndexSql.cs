using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>The filters of a run-index query that decide which lines of <c>Sql/{dialect}/Logbook/Query.sql</c> are kept.</summary>
[Flags]
internal enum RunIndexFilters
{
    None = 0,
    State = 1,
    States = 2,
    Name = 4,
    Tag = 8,
    From = 16,
    Before = 32,
    Prefix = 64,
    After = 128,
}

/// <summary>The run-index query of a dialect, with only the filter lines the query uses.</summary>
/// <remarks>
/// <para><c>Query.sql</c> is the statement with every filter; a filter's lines end in <c>-- when &lt;filter&gt;</c>. For a
/// query, the lines of the filters it does not set are dropped (and the markers of the others removed), so each combination
/// of filters is a fixed statement made of fixed lines: no user input ever becomes SQL text (it travels as parameters), and
/// the database plans each combination on its own instead of one plan with <c>(@x IS NULL OR ...)</c> for all.</para>
/// <para>The 2^8 possible texts per dialect are made on first use and kept.</para>
/// </remarks>
internal static partial class RunIndexSql
{
    private static readonly ConcurrentDictionary<(SqlDialect, RunIndexFilters), string> Cache = new();

    /// <summary>The filters a query sets. One state is an equality (an index on state then yields created-time order); more
    /// are a set.</summary>
    public static RunIndexFilters FiltersOf(RunIndexQuery query)
    {
        var filters = RunIndexFilters.None;
        var distinctStates = query.States.Distinct().Count();
        filters |= distinctStates switch
        {
            0 => RunIndexFilters.None,
            1 => RunIndexFilters.State,
            _ => RunIndexFilters.States,
        };
        if (query.Name is not null)
        {
            filters |= RunIndexFilters.Name;
        }

        if (query.Tag is not null)
        {
            filters |= RunIndexFilters.Tag;
        }

        if (query.CreatedFrom is not null)
        {
            filters |= RunIndexFilters.From;
        }

        if (query.CreatedBefore is not null)
        {
            filters |= RunIndexFilters.Before;
        }

        if (query.IdPrefix is not null)
        {
            filters |= RunIndexFilters.Prefix;
        }

        if (query.After is not null)
        {
            filters |= RunIndexFilters.After;
        }

        return filters;
    }

    /// <summary>The statement for a dialect and a set of filters.</summary>
    public static string Text(SqlDialect dialect, RunIndexFilters filters) =>
        Cache.GetOrAdd((dialect, filters), static key => Compose(SqlScripts.Statement(key.Item1, "Logbook", "Query"), key.Item2));

    /// <summary>Keeps the lines without a marker and the lines of the given filters (without their marker).</summary>
    /// <exception cref="InvalidOperationException">A marker names no filter.</exception>
    internal static string Compose(string template, RunIndexFilters filters)
    {
        var text = new StringBuilder(template.Length);
        foreach (var line in template.Split('\n'))
        {
            var marker = Marker().Match(line);
            if (marker.Success)
            {
                if (!Enum.TryParse<RunIndexFilters>(marker.Groups[1].Value, ignoreCase: true, out var filter)
                    || filter == RunIndexFilters.None || !Enum.IsDefined(filter))
                {
                    throw new InvalidOperationException($"The run-index query marks a line with the unknown filter '{marker.Groups[1].Value}'.");
                }

                if (!filters.HasFlag(filter))
                {
                    continue;
                }

                text.Append(line.AsSpan(0, marker.Index)).Append('\n');
                continue;
            }

            text.Append(line).Append('\n');
        }

        return text.ToString().Trim();
    }

    /// <summary>The microsecond a time falls in, rounded up: for a column of whole microseconds <c>c</c>,
    /// <c>c &gt;= t</c> is <c>c &gt;= RoundUp(t)</c> and <c>c &lt; t</c> is <c>c &lt; RoundUp(t)</c>.</summary>
    /// <returns>The time in UTC ticks, a whole number of microseconds (DateTime's last tick when that would overflow it).</returns>
    public static long RoundUpToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        var remainder = ticks % TimeSpan.TicksPerMicrosecond;
        if (remainder == 0)
        {
            return ticks;
        }

        var up = ticks - remainder + TimeSpan.TicksPerMicrosecond;
        return up > DateTime.MaxValue.Ticks ? DateTime.MaxValue.Ticks : up;
    }

    /// <summary>The cursor as column values: its time rounded up to the microsecond, and its run id, or <c>""</c> (before
    /// every id) when the time had finer digits: no stored run has that very time, so only earlier times follow it.</summary>
    public static (long UtcTicks, string RunId) CursorKey(FlowPageCursor after)
    {
        var ticks = RoundUpToMicroseconds(after.CreatedAt);
        return (ticks, ticks == after.CreatedAt.UtcTicks ? after.RunId : "");
    }

    [GeneratedRegex(@"\s*--\s*when\s+(\w+)\s*$")]
    private static partial Regex Marker();
}
