using System.Globalization;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>The execution journals the sample silos write when <c>TASKFLOW_JOURNAL_DIR</c> is set: one line per execution,
/// <c>timestamp\texecute\t&lt;flowId&gt;/&lt;atom&gt;/&lt;attempt&gt;</c>.</summary>
public sealed class Journal
{
    private Journal(List<JournalEntry> entries) => Entries = entries;

    public List<JournalEntry> Entries { get; }

    public static Journal Read(string root)
    {
        var entries = new List<JournalEntry>();
        foreach (var file in Directory.EnumerateFiles(root, "*.log", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split('\t');
                // A kill -9 may cut the last line of a file short: only whole lines count.
                if (parts.Length != 3 || parts[1] != "execute" || !DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                {
                    continue;
                }

                var id = parts[2].Split('/');
                if (id.Length != 3 || !int.TryParse(id[2], CultureInfo.InvariantCulture, out var attempt))
                {
                    continue;
                }

                entries.Add(new JournalEntry(at, parts[2], id[0], id[1], attempt, Path.GetFileName(Path.GetDirectoryName(file)!)));
            }
        }

        return new Journal(entries);
    }

    /// <summary>Executions per (flow, atom).</summary>
    public Dictionary<(string Flow, string Atom), List<JournalEntry>> ByAtom() =>
        Entries.GroupBy(e => (e.Flow, e.Atom)).ToDictionary(g => g.Key, g => g.OrderBy(e => e.At).ToList());

    /// <summary>(flow, atom) pairs that ran more than once: the same execution id again, or a later attempt.</summary>
    public List<((string Flow, string Atom) Key, List<JournalEntry> Runs)> ReExecuted() =>
        ByAtom().Where(p => p.Value.Count > 1 || p.Value.Any(e => e.Attempt > 1)).Select(p => (p.Key, p.Value)).ToList();

    /// <summary>How many executions beyond the first, over all atoms.</summary>
    public int ReExecutionCount() => ByAtom().Values.Sum(runs => runs.Count - 1 + (runs.All(e => e.Attempt > 1) ? 1 : 0));
}

/// <summary>One journaled execution.</summary>
public sealed record JournalEntry(DateTimeOffset At, string ExecutionId, string Flow, string Atom, int Attempt, string Silo);
