namespace TaskFlow.Orleans.Testing;

/// <summary>The journal of one run at one moment (<see cref="ExecutionJournal.ForRun"/>), with assertions about the order
/// of its executes and reverts.</summary>
/// <remarks>Assertions throw <see cref="JournalAssertionException"/> with the expected and the recorded calls, so they work
/// in any test framework.</remarks>
public sealed class RunJournal
{
    internal RunJournal(string flowId, IReadOnlyList<ExecutionEntry> entries)
    {
        FlowId = flowId;
        Entries = entries;
        Calls = [.. entries.Where(e => e.Outcome != ExecutionOutcome.Started)];
    }

    /// <summary>The run's id.</summary>
    public string FlowId { get; }

    /// <summary>Every entry, started ones included, in order.</summary>
    public IReadOnlyList<ExecutionEntry> Entries { get; }

    /// <summary>The calls that ended (succeeded or failed), in the order they ended.</summary>
    public IReadOnlyList<ExecutionEntry> Calls { get; }

    /// <summary>The ended calls in short form (<c>a.execute</c>, <c>b.revert(failed)</c>), in order.</summary>
    public IReadOnlyList<string> Trace => [.. Calls.Select(c => c.ToString())];

    /// <summary>How many entries match <paramref name="call"/>: a re-dispatched execute counts each time it started or ended.</summary>
    /// <param name="call">The call.</param>
    /// <returns>The count.</returns>
    public int Count(ExpectedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Entries.Count(call.Matches);
    }

    /// <summary>Asserts that the run's ended calls (<see cref="Calls"/>) are exactly <paramref name="expected"/>, in order.</summary>
    /// <remarks>For atoms that run in parallel, whose order is not fixed, assert what is fixed with
    /// <see cref="AssertHappenedBefore"/> or <see cref="AssertContains"/>.</remarks>
    /// <param name="expected">The calls, e.g. <c>Executed("a"), ExecuteFailed("b"), Reverted("b"), Reverted("a")</c>.</param>
    /// <exception cref="JournalAssertionException">The calls differ; the message shows both lists and the first difference.</exception>
    public void AssertOrder(params ExpectedCall[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var mismatch = Enumerable.Range(0, Math.Max(expected.Length, Calls.Count))
            .FirstOrDefault(i => i >= expected.Length || i >= Calls.Count || !expected[i].Matches(Calls[i]), -1);
        if (mismatch < 0)
        {
            return;
        }

        var wanted = mismatch < expected.Length ? expected[mismatch].ToString() : "nothing more";
        var found = mismatch < Calls.Count ? Calls[mismatch].ToString() : "nothing more";
        throw new JournalAssertionException(
            $"Run '{FlowId}' made its calls in another order than expected (first difference at position {mismatch + 1}: " +
            $"expected {wanted}, found {found}).{Environment.NewLine}" +
            $"Expected: {string.Join(", ", expected.Select(e => e.ToString()))}{Environment.NewLine}" +
            $"Actual:   {Describe()}");
    }

    /// <summary>Asserts that every one of <paramref name="expected"/> is in the journal (in any order, started entries included).</summary>
    /// <param name="expected">The calls.</param>
    /// <exception cref="JournalAssertionException">A call is missing; the message names it and lists the journal.</exception>
    public void AssertContains(params ExpectedCall[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var missing = expected.Where(e => !Entries.Any(e.Matches)).ToList();
        if (missing.Count > 0)
        {
            throw new JournalAssertionException(
                $"Run '{FlowId}' has no {string.Join(", ", missing.Select(m => m.ToString()))} in its journal.{Environment.NewLine}" +
                $"Actual: {DescribeAll()}");
        }
    }

    /// <summary>Asserts that <paramref name="call"/> is not in the journal.</summary>
    /// <param name="call">The call that must not have happened, e.g. <c>Reverted("a")</c>.</param>
    /// <exception cref="JournalAssertionException">It happened.</exception>
    public void AssertNever(ExpectedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Entries.Any(call.Matches))
        {
            throw new JournalAssertionException($"Run '{FlowId}' has {call} in its journal, which the test expected never to happen.{Environment.NewLine}" +
                $"Actual: {DescribeAll()}");
        }
    }

    /// <summary>Asserts that the first <paramref name="first"/> in the journal comes before the first <paramref name="then"/>.</summary>
    /// <param name="first">The earlier call.</param>
    /// <param name="then">The later call.</param>
    /// <exception cref="JournalAssertionException">Either is missing, or <paramref name="then"/> came first.</exception>
    public void AssertHappenedBefore(ExpectedCall first, ExpectedCall then)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(then);
        AssertContains(first, then);
        var a = Entries.First(first.Matches).Order;
        var b = Entries.First(then.Matches).Order;
        if (a > b)
        {
            throw new JournalAssertionException($"Run '{FlowId}': expected {first} before {then}, but {then} came first.{Environment.NewLine}" +
                $"Actual: {DescribeAll()}");
        }
    }

    /// <summary>Asserts that <paramref name="call"/> is in the journal exactly once (a re-dispatched call shows twice).</summary>
    /// <param name="call">The call.</param>
    /// <exception cref="JournalAssertionException">It is missing or there more than once.</exception>
    public void AssertOnce(ExpectedCall call)
    {
        var count = Count(call);
        if (count != 1)
        {
            throw new JournalAssertionException($"Run '{FlowId}' has {call} {count} time(s) in its journal; expected once.{Environment.NewLine}" +
                $"Actual: {DescribeAll()}");
        }
    }

    /// <summary>The ended calls in short form, for messages.</summary>
    /// <returns>The calls, comma-separated, or "(no calls)".</returns>
    public string Describe() => Calls.Count == 0 ? "(no calls)" : string.Join(", ", Calls.Select(c => c.ToString()));

    internal string DescribeAll() => Entries.Count == 0 ? "(no entries)" : string.Join(", ", Entries.Select(c => c.ToString()));
}
