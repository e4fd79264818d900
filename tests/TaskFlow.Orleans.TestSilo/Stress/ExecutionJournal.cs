using System.Globalization;

namespace TaskFlow.Orleans.TestSilo.Stress;

/// <summary>
/// Appends one line per task execution to a file per process when <c>TASKFLOW_JOURNAL_DIR</c> is set, so a test that
/// kills silos can count afterwards how often each atom ran. Each line is written and flushed on its own, so a
/// <c>kill -9</c> loses at most the line being written.
/// </summary>
public static class ExecutionJournal
{
    /// <summary>The environment variable naming the journal directory.</summary>
    public const string DirectoryVariable = "TASKFLOW_JOURNAL_DIR";

    private static readonly Lock Gate = new();
    private static readonly string? FilePath = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory
        ? Path.Combine(directory, $"silo-{Environment.ProcessId}.log")
        : null;

    /// <summary>Records that an execution started (before its side effects), if journaling is on.</summary>
    /// <param name="action">"execute" or "revert".</param>
    /// <param name="executionId">The execution id.</param>
    public static void Record(string action, string executionId)
    {
        if (FilePath is null)
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O}\t{action}\t{executionId}\n");
        lock (Gate)
        {
            File.AppendAllText(FilePath, line);
        }
    }
}
