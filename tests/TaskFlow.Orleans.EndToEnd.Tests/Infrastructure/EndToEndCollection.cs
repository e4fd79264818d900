namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>End-to-end tests run one at a time: each runs 3 silo processes, too many to share 2 cores with another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}

/// <summary>Assertions on what the stress command and the journals report.</summary>
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
}
