using System.Globalization;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>How the logbook stores turn run-row values into column values and back, the same way on every database.</summary>
internal static class LogbookColumns
{
    private const char TagDelimiter = '\n';
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;

    /// <summary>Finds a run stored before logbooks existed: its definition was a grain-state record named
    /// <c>flow-definition</c> under the run id (the same SQL on both databases).</summary>
    public const string LegacyRunQuery =
        "SELECT 1 FROM taskflow_grain_state WHERE service_id = @service_id AND state_name = 'flow-definition' AND grain_id_key = @run_id LIMIT 1";

    /// <summary>Why a run stored before logbooks existed is not resumed, and what to do.</summary>
    public static FlowStorageException LegacyRun(string runId) => new(
        $"Run '{runId}' was stored by a TaskFlow.Orleans version before logbook format {RunHeader.CurrentFormatVersion} " +
        "(as the grain-state records 'flow-definition' and 'flow'), which this silo does not read: it is left as it is. " +
        "Finish or cancel it with the version that started it before upgrading, or delete its taskflow_grain_state rows to discard it.");

    /// <summary>The tags column: every tag preceded and followed by a newline, or empty for no tags.</summary>
    /// <remarks>The outer delimiters make "has tag <c>t</c>" a plain substring test for <c>"\n" + t + "\n"</c>.</remarks>
    public static string EncodeTags(IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return "";
        }

        return TagDelimiter + string.Join(TagDelimiter, tags) + TagDelimiter;
    }

    /// <summary>The tags of a tags column written by <see cref="EncodeTags"/>.</summary>
    public static string[] DecodeTags(string column) =>
        column.Length == 0 ? [] : column[1..^1].Split(TagDelimiter);

    /// <summary>The atom counts as a PostgreSQL array literal, e.g. <c>{3,0,1}</c>.</summary>
    public static string PostgreSqlArray(int[] counts) =>
        "{" + string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "}";

    /// <summary>The atom counts as SQLite's comma-separated text, e.g. <c>3,0,1</c>.</summary>
    public static string CommaSeparated(int[] counts) => string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The atom counts of a column written by <see cref="CommaSeparated"/>.</summary>
    public static int[] ParseCommaSeparated(string column) =>
        column.Length == 0 ? [] : Array.ConvertAll(column.Split(','), c => int.Parse(c, NumberStyles.Integer, CultureInfo.InvariantCulture));

    /// <summary>A timestamp as UTC, cut to whole microseconds: the precision both databases keep.</summary>
    public static DateTime ToUtc(DateTimeOffset value)
    {
        var utc = value.UtcTicks;
        return new DateTime(utc - (utc % TicksPerMicrosecond), DateTimeKind.Utc);
    }

    /// <summary>A timestamp as microseconds since 1970-01-01 UTC (SQLite's timestamp columns).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) => (ToUtc(value).Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    /// <summary>The timestamp of a SQLite timestamp column, with offset zero.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long value) =>
        new(DateTime.UnixEpoch.Ticks + (value * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>Checks what a store cannot keep faithfully: one write per run, and tags without newlines.</summary>
    /// <exception cref="ArgumentException">A run has two writes in the batch, or a tag holds a newline.</exception>
    public static void Validate(IReadOnlyList<LogbookWrite> batch)
    {
        var runs = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        foreach (var write in batch)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(batch));
            if (!runs.Add(write.RunId))
            {
                throw new ArgumentException($"The batch holds two writes of run '{write.RunId}'; a batch may hold at most one write per run.", nameof(batch));
            }

            foreach (var tag in write.Run.Tags)
            {
                if (tag.Contains(TagDelimiter, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A tag of run '{write.RunId}' holds a newline, which the run index uses to separate tags.", nameof(batch));
                }
            }
        }
    }

    /// <summary>The atoms of a write with one row per atom id (the last wins), so an upsert never meets the same row twice.</summary>
    public static IReadOnlyList<AtomRow> DistinctAtoms(IReadOnlyList<AtomRow> atoms)
    {
        if (atoms.Count < 2)
        {
            return atoms;
        }

        var seen = new HashSet<int>();
        var duplicate = false;
        foreach (var atom in atoms)
        {
            duplicate |= !seen.Add(atom.AtomId);
        }

        if (!duplicate)
        {
            return atoms;
        }

        var last = new Dictionary<int, AtomRow>();
        foreach (var atom in atoms)
        {
            last[atom.AtomId] = atom;
        }

        return [.. last.Values];
    }
}
