using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace TaskFlow.Orleans.Persistence.AdoNet.Schema;

/// <summary>Reads the embedded schema scripts and named queries (<c>Sql/{dialect}/...</c>).</summary>
/// <remarks>Each named query lives in its own file, <c>Sql/{dialect}/Queries/{part}/{QueryKey}.sql</c>, so it reads as SQL
/// rather than as a quoted string. Its leading comment lines document it in the repository and are not stored.</remarks>
internal static class SqlScripts
{
    private static readonly Assembly Assembly = typeof(SqlScripts).Assembly;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The parts each dialect supports.</summary>
    public static TaskFlowSchemaParts Supported(SqlDialect dialect) =>
        dialect == SqlDialect.PostgreSql ? TaskFlowSchemaParts.All : TaskFlowSchemaParts.Persistence;

    /// <summary>The table scripts to run, in order, for the given parts (the named-query table first).</summary>
    public static IEnumerable<(string Name, string Text)> TableScripts(SqlDialect dialect, TaskFlowSchemaParts parts)
    {
        yield return ("Main", Read($"Sql/{dialect}/Main.sql"));
        foreach (var part in Each(parts))
        {
            yield return (part.ToString(), Read($"Sql/{dialect}/{part}.sql"));
        }
    }

    /// <summary>The named queries (key and text without the documenting comments) of the given parts.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Queries(SqlDialect dialect, TaskFlowSchemaParts parts)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in Each(parts))
        {
            var prefix = $"Sql/{dialect}/Queries/{part}/";
            foreach (var name in Assembly.GetManifestResourceNames().Where(n => n.Replace('\\', '/').StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var key = Path.GetFileNameWithoutExtension(name.Replace('\\', '/')[prefix.Length..]);
                result.Add(new(key, StripComments(Read(name))));
            }
        }

        return result;
    }

    /// <summary>A statement TaskFlow's own code runs (not a named query of an Orleans provider), from
    /// <c>Sql/{dialect}/{folder}/{name}.sql</c>, without its documenting comments.</summary>
    public static string Statement(SqlDialect dialect, string folder, string name) =>
        StripComments(Read($"Sql/{dialect}/{folder}/{name}.sql"));

    /// <summary>The parts of <paramref name="parts"/>, one flag at a time.</summary>
    public static IEnumerable<TaskFlowSchemaParts> Each(TaskFlowSchemaParts parts) =>
        new[] { TaskFlowSchemaParts.Persistence, TaskFlowSchemaParts.Clustering, TaskFlowSchemaParts.Reminders }.Where(p => parts.HasFlag(p));

    private static string Read(string resourceName) => Cache.GetOrAdd(resourceName, static name =>
    {
        var actual = Assembly.GetManifestResourceNames().FirstOrDefault(n => n.Replace('\\', '/') == name)
                     ?? throw new InvalidOperationException($"The embedded SQL resource '{name}' is missing from {Assembly.GetName().Name}.");
        using var stream = Assembly.GetManifestResourceStream(actual)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    private static string StripComments(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return string.Join('\n', lines).Trim();
    }
}
