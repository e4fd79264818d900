using System.Collections.Immutable;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>
/// Most atoms execute once and succeed. For them the record's own fields (attempt, start, end, silo) are the whole attempt
/// history and statistics, so nothing more is stored: each record write stays as small as before statistics existed (they
/// cost W2, 1000 independent tasks, about 40 % when written for every atom). The first other call writes the implicit
/// success down before its own start replaces the record's timings.
/// </summary>
internal static class ImplicitFirstSuccess
{
    /// <summary>Whether the record's only call so far is the execute that just succeeded (nothing written down yet).</summary>
    public static bool Applies(AtomRecord record) => record.Statistics is null && record.Calls <= 1;

    /// <summary>Whether the record holds an implicit first success.</summary>
    private static bool Holds(AtomRecord record) =>
        record.Statistics is null && record.Calls >= 1 && record.StartedAt is not null && record.FinishedAt is not null;

    /// <summary>Writes an implicit first success down as statistics and one attempt.</summary>
    public static void Materialize(AtomRecord record)
    {
        if (Holds(record))
        {
            // Both read the implicit success, so both are computed before either is set.
            var (statistics, attempts) = (StatisticsOf(record), AttemptsOf(record));
            (record.Statistics, record.Attempts) = (statistics, attempts);
        }
    }

    /// <summary>The record's statistics, the implicit first success included.</summary>
    public static AtomStatistics StatisticsOf(AtomRecord record)
    {
        if (record.Statistics is { } statistics)
        {
            return statistics;
        }

        if (!Holds(record))
        {
            return AtomStatistics.Empty;
        }

        var took = record.FinishedAt!.Value - record.StartedAt!.Value;
        return new AtomStatistics { Executes = 1, ExecuteTime = took, LastDuration = took };
    }

    /// <summary>The record's attempt history, the implicit first success included.</summary>
    public static ImmutableArray<AtomAttempt> AttemptsOf(AtomRecord record)
    {
        if (record.Statistics is not null)
        {
            return record.Attempts.IsDefault ? [] : record.Attempts;
        }

        return Holds(record)
            ? [new AtomAttempt
            {
                Number = Math.Max(1, record.Attempt),
                StartedAt = record.StartedAt,
                FinishedAt = record.FinishedAt!.Value,
                Outcome = AtomState.Success,
                RanOn = record.RanOn,
            }]
            : [];
    }
}
