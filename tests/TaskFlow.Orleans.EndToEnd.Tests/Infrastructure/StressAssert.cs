using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions on what the stress command, the journals and the logbooks report.</summary>
public static class StressAssert
{
    public const int Steps = 20;

    /// <summary>Every run ended SUCCESS with <c>value = start + 20</c>, where <c>start</c> is its index.</summary>
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
    /// What TaskFlow's save order allows a fault (a <c>kill -9</c> issued at <paramref name="killIssuedAt"/>, or a database
    /// outage) to run again in a linear chain, read from the journals alone:
    /// only a step that was RUNNING in its logbook, once more, with the same execution id. The journals cannot see the
    /// logbook, but the chain can: a successor is dispatched only once its predecessor's outcome is durable, and a durable
    /// outcome never runs again, so no later step of a run may have started before a re-run of an earlier one.
    /// </summary>
    /// <remarks>
    /// Which step re-runs is not tied to the moment of the kill: while the cluster votes the dead silo out (seconds later),
    /// Orleans may briefly hold two activations of a run, and the new one, rebuilt from the logbook, dispatches the step that
    /// is RUNNING there again; of the two engines only the one whose next write commits goes on (the other's write conflicts
    /// on the logbook's version and it stops). Seen: the last step of four runs re-run 9 s after the kill. So a run may see
    /// a re-run from the kill and one from that hand-over; both are re-runs of RUNNING steps.
    /// </remarks>
    /// <returns>The steps that ran twice.</returns>
    public static List<((string Flow, string Atom) Key, List<JournalEntry> Runs)> OnlyRunningStepsRanAgain(
        Journal journal, DateTimeOffset killIssuedAt, Func<IReadOnlyCollection<string>, string> outputAbout, string fault = "the kill")
    {
        var reExecuted = journal.ReExecuted();
        var problems = new List<string>();
        var badRuns = new HashSet<string>(StringComparer.Ordinal);
        var byAtom = journal.ByAtom();
        foreach (var (key, runs) in reExecuted)
        {
            void AddProblem(string problem)
            {
                problems.Add(problem);
                badRuns.Add(key.Flow);
            }

            var what = $"{key.Flow}/{key.Atom} ({Describe(runs)})";
            if (runs.Count > 2)
            {
                AddProblem($"{what} ran {runs.Count} times (at most twice allowed)");
            }

            if (runs.Select(r => r.ExecutionId).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                AddProblem($"{what} ran with different execution ids (a re-run must carry the first one)");
            }

            if (runs[^1].At < killIssuedAt)
            {
                AddProblem($"{what} ran again before {fault} began at {killIssuedAt:O}");
            }

            var later = byAtom.Where(p => p.Key.Flow == key.Flow && string.CompareOrdinal(p.Key.Atom, key.Atom) > 0 && p.Value[0].At < runs[^1].At)
                .Select(p => $"{p.Key.Atom} at {p.Value[0].At:O}").ToList();
            if (later.Count > 0)
            {
                AddProblem($"{what} ran again although later steps had started before (its outcome was durable, yet it ran again): " +
                             string.Join(", ", later));
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} violations of TaskFlow's save order after {fault}:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}" +
            $"{Environment.NewLine}{(problems.Count == 0 ? "" : outputAbout(badRuns.Take(5).ToList()))}");
        return reExecuted;
    }

    /// <summary>Every step executed once, plus once more for each step that <see cref="OnlyRunningStepsRanAgain"/> found re-run
    /// (so no step ran a third time, and no execution is unaccounted for).</summary>
    public static void OneExecutionPerStepPlusReExecutions(
        Journal journal, List<((string Flow, string Atom) Key, List<JournalEntry> Runs)> reExecuted, int count)
    {
        var expected = count * Steps + reExecuted.Count;
        var extra = reExecuted.Where(r => r.Runs.Count != 2).Select(r => $"{r.Key.Flow}/{r.Key.Atom} ({Describe(r.Runs)})").ToList();
        Assert.True(journal.Entries.Count == expected,
            $"{journal.Entries.Count} executions journaled, expected {expected}: one for each of the {count * Steps} steps plus one for each of " +
            $"the {reExecuted.Count} re-executed steps.{(extra.Count == 0 ? "" : " Re-executed steps that did not run exactly twice: " + string.Join(", ", extra.Take(20)))}");
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
            $"{problems.Count} steps ran other than TaskFlow's save order allows after the crash (logbook read at {atCrash.ReadStartedAt:O}):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
    }

    private static string Describe(IEnumerable<JournalEntry> runs) =>
        string.Join("; ", runs.Select(r => $"{r.ExecutionId} at {r.At:HH:mm:ss.ffffff} on {r.Silo}"));
}
