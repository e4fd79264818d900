using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions on what the stress command, the journals and the logbooks report.</summary>
public static class StressAssert
{
    public const int Steps = 20;

    /// <summary>Every run ended SUCCESS with <c>value = start + 20</c>, where <c>start</c> is its index.</summary>
    /// <summary>
    /// How long after a fault a step dispatched before it may still start: an engine on the killed silo records a step RUNNING
    /// and sends it to an executor on another silo, and the message arrives (and the task starts) just after the process is
    /// gone, so that step runs again when its run resumes, though it was in flight at the kill (seen: 16 ms on a loaded
    /// machine). A run resumes only after the dead silo is voted out (many seconds), so a step first started later than this
    /// and run again would still show up as a violation.
    /// </summary>
    public static readonly TimeSpan InFlightDelivery = TimeSpan.FromSeconds(5);

    public static void AllSucceeded(StressSummary summary, int count, string context)
    {
        var bad = summary.Flows
            .Select((flow, index) => (flow, index))
            .Where(f => f.flow.State != "Success" || f.flow.Results is null || !f.flow.Results.TryGetValue("value", out var value) ||
                        value.GetInt64() != f.index + Steps)
            .Select(f => $"{f.flow.Id}: {f.flow.State} value={(f.flow.Results?.TryGetValue("value", out var v) == true ? v.ToString() : "none")} {f.flow.Error}")
            .ToList();
        Assert.True(summary.Count == count && summary.Flows.Count == count && bad.Count == 0,
            $"{context}: {summary.Succeeded} of {count} runs succeeded with value = start + {Steps}; {bad.Count} did not:{Environment.NewLine}" +
            string.Join(Environment.NewLine, bad.Take(20)));
    }

    /// <summary>Every (run, step) of runs <paramref name="prefix"/>-0000.. executed at least once.</summary>
    public static void EveryStepRan(Journal journal, string prefix, int count)
    {
        var byAtom = journal.ByAtom();
        var missing = (from i in Enumerable.Range(0, count)
                       from s in Enumerable.Range(0, Steps)
                       let key = ($"{prefix}-{i:D4}", $"step-{s:D2}")
                       where !byAtom.ContainsKey(key)
                       select $"{key.Item1}/{key.Item2}").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} steps never executed, e.g. {string.Join(", ", missing.Take(10))}");
    }

    /// <summary>
    /// What TaskFlow's save order allows a <c>kill -9</c> (issued at <paramref name="killIssuedAt"/>, the process gone at
    /// <paramref name="killedAt"/>) to run again in a linear chain, read from the journals alone: only the step that was in
    /// flight at the kill, once more, with the same execution id. So: no step ran more than twice; a step that ran twice first
    /// started before the kill, ran again after it was issued, with the same execution id both times; at most one step per run
    /// ran twice; and no later step of that run had started before the kill (a successor is dispatched only once its
    /// predecessor's outcome is durable, and a durable outcome never runs again).
    /// </summary>
    /// <returns>The steps that ran twice.</returns>
    public static List<((string Flow, string Atom) Key, List<JournalEntry> Runs)> OnlyStepsInFlightAtTheKillRanTwice(
        Journal journal, DateTimeOffset killIssuedAt, DateTimeOffset killedAt, string fault = "the kill")
    {
        var reExecuted = journal.ReExecuted();
        var problems = new List<string>();
        foreach (var (key, runs) in reExecuted)
        {
            var what = $"{key.Flow}/{key.Atom} ({Describe(runs)})";
            if (runs.Count > 2)
            {
                problems.Add($"{what} ran {runs.Count} times (at most twice allowed)");
            }

            if (runs.Select(r => r.ExecutionId).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                problems.Add($"{what} ran with different execution ids (a re-run must carry the first one)");
            }

            if (runs[0].At > killedAt + InFlightDelivery)
            {
                problems.Add($"{what} first started {(runs[0].At - killedAt).TotalSeconds:0.000} s after {fault} (over at {killedAt:O}): " +
                             "it was not in flight");
            }

            if (runs.Count > 1 && runs[1].At < killIssuedAt)
            {
                problems.Add($"{what} ran again before {fault} began at {killIssuedAt:O}");
            }
        }

        var byAtom = journal.ByAtom();
        foreach (var run in reExecuted.GroupBy(r => r.Key.Flow))
        {
            if (run.Count() > 1)
            {
                problems.Add($"{run.Key}: {run.Count()} steps ran twice ({string.Join(", ", run.Select(r => r.Key.Atom))}); one at most is allowed");
            }

            foreach (var (key, _) in run)
            {
                var later = byAtom.Where(p => p.Key.Flow == key.Flow && string.CompareOrdinal(p.Key.Atom, key.Atom) > 0 && p.Value[0].At < killIssuedAt)
                    .Select(p => $"{p.Key.Atom} at {p.Value[0].At:O}").ToList();
                if (later.Count > 0)
                {
                    problems.Add($"{key.Flow}/{key.Atom} ran twice although later steps had started before {fault} ({string.Join(", ", later)}): " +
                                 "its outcome was durable, yet it ran again");
                }
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} violations of TaskFlow's save order after {fault}:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
        return reExecuted;
    }

    /// <summary>
    /// Checks the journals against a logbook read: every step recorded SUCCESS ran exactly once (over the whole test, also
    /// after the kill), and every step that started before the read began was recorded RUNNING or SUCCESS by then (its
    /// RUNNING was durable before it was dispatched).
    /// </summary>
    /// <returns>How many recorded outcomes were checked.</returns>
    public static int RecordedOutcomesRanOnce(Journal journal, Logbook logbook)
    {
        var byAtom = journal.ByAtom();
        var problems = new List<string>();
        var recorded = logbook.In(AtomState.Success);
        foreach (var key in recorded)
        {
            var runs = byAtom.GetValueOrDefault(key) ?? [];
            if (runs.Count != 1)
            {
                problems.Add($"{key.Flow}/{key.Atom} was recorded SUCCESS at {logbook.ReadStartedAt:O} but ran {runs.Count} times ({Describe(runs)})");
            }
        }

        foreach (var entry in journal.Entries.Where(e => e.At < logbook.ReadStartedAt))
        {
            var state = logbook.StateOf((entry.Flow, entry.Atom));
            if (state is not (AtomState.Running or AtomState.Success))
            {
                problems.Add($"{entry.Flow}/{entry.Atom} started at {entry.At:O} on {entry.Silo} but the logbook read at {logbook.ReadStartedAt:O} " +
                             $"says {state}: it was dispatched before its RUNNING was durable");
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} violations of TaskFlow's save order against the logbook:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
        return recorded.Count;
    }

    /// <summary>
    /// With the logbook exactly as a crash left it (<paramref name="atCrash"/>, read while no silo ran; the journals of
    /// <paramref name="crashedSilos"/> tell what ran before the crash, the others' what ran after the restart): a step
    /// recorded SUCCESS ran once, before the crash; a step recorded RUNNING ran once after the restart (plus at most once
    /// before the crash, with the same execution id); a step with no record ran once, after the restart; and no run had more
    /// than one step recorded RUNNING (a linear chain has one in flight).
    /// </summary>
    public static void ReRanOnlyWhatWasRunningAtTheCrash(Journal journal, Logbook atCrash, IReadOnlyCollection<string> crashedSilos, string prefix, int count)
    {
        var byAtom = journal.ByAtom();
        var problems = new List<string>();
        foreach (var run in atCrash.In(AtomState.Running).GroupBy(k => k.Flow).Where(g => g.Count() > 1))
        {
            problems.Add($"{run.Key} had {run.Count()} steps recorded RUNNING at the crash ({string.Join(", ", run.Select(k => k.Atom))}); a chain has one");
        }

        foreach (var key in from i in Enumerable.Range(0, count) from s in Enumerable.Range(0, Steps) select ($"{prefix}-{i:D4}", Logbook.StepName(s)))
        {
            var runs = byAtom.GetValueOrDefault(key) ?? [];
            var before = runs.Where(r => crashedSilos.Contains(r.Silo)).ToList();
            var after = runs.Where(r => !crashedSilos.Contains(r.Silo)).ToList();
            var state = atCrash.StateOf(key);
            var what = $"{key.Item1}/{key.Item2}, recorded {state} at the crash, ({Describe(runs)})";
            var (ok, expected) = state switch
            {
                AtomState.Success => (before.Count == 1 && after.Count == 0, "one execution, before the crash"),
                AtomState.Running => (before.Count <= 1 && after.Count == 1, "one execution after the restart (and at most one before the crash)"),
                AtomState.Pending => (before.Count == 0 && after.Count == 1, "one execution, after the restart"),
                _ => (false, "not a state a stress chain's step is left in"),
            };
            if (!ok)
            {
                problems.Add($"{what}: expected {expected}");
            }
            else if (runs.Select(r => r.ExecutionId).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                problems.Add($"{what}: ran with different execution ids (a re-run must carry the first one)");
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} steps ran other than TaskFlow's save order allows after the crash:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
    }

    private static string Describe(IEnumerable<JournalEntry> runs) =>
        string.Join("; ", runs.Select(r => $"{r.ExecutionId} at {r.At:HH:mm:ss.ffffff} on {r.Silo}"));
}
