namespace TaskFlow.Orleans.Testing;

/// <summary>A call a test expects to find in a run's journal, for <see cref="RunJournal.AssertOrder"/> and the other
/// assertions: <c>Executed("a")</c>, <c>Reverted("a")</c>.</summary>
/// <remarks>Import the factories with <c>using static TaskFlow.Orleans.Testing.ExpectedCall;</c> so expectations read as
/// a list of calls.</remarks>
/// <param name="AtomName">The atom's name in the flow.</param>
/// <param name="Kind">Execute or revert.</param>
/// <param name="Outcome">How far the call got.</param>
public sealed record ExpectedCall(string AtomName, ExecutionKind Kind, ExecutionOutcome Outcome)
{
    /// <summary>An execute of <paramref name="atomName"/> that returned.</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall Executed(string atomName) => new(atomName, ExecutionKind.Execute, ExecutionOutcome.Succeeded);

    /// <summary>An execute of <paramref name="atomName"/> that threw.</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall ExecuteFailed(string atomName) => new(atomName, ExecutionKind.Execute, ExecutionOutcome.Failed);

    /// <summary>An execute of <paramref name="atomName"/> being dispatched (whether or not it ended).</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall ExecuteStarted(string atomName) => new(atomName, ExecutionKind.Execute, ExecutionOutcome.Started);

    /// <summary>A revert of <paramref name="atomName"/> that returned.</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall Reverted(string atomName) => new(atomName, ExecutionKind.Revert, ExecutionOutcome.Succeeded);

    /// <summary>A revert of <paramref name="atomName"/> that threw.</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall RevertFailed(string atomName) => new(atomName, ExecutionKind.Revert, ExecutionOutcome.Failed);

    /// <summary>A revert of <paramref name="atomName"/> being dispatched (whether or not it ended).</summary>
    /// <param name="atomName">The atom.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedCall RevertStarted(string atomName) => new(atomName, ExecutionKind.Revert, ExecutionOutcome.Started);

    /// <summary>Whether a journal entry is this call.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns><see langword="true"/> when atom, kind and outcome all match.</returns>
    public bool Matches(ExecutionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.AtomName == AtomName && entry.Kind == Kind && entry.Outcome == Outcome;
    }

    /// <summary>The call in the journal's short form: <c>add.execute</c>, <c>add.revert(failed)</c>.</summary>
    /// <returns>The short form.</returns>
    public override string ToString() => Format(AtomName, Kind, Outcome);

    internal static string Format(string atomName, ExecutionKind kind, ExecutionOutcome outcome)
    {
        var call = $"{atomName}.{(kind == ExecutionKind.Execute ? "execute" : "revert")}";
        return outcome switch
        {
            ExecutionOutcome.Started => call + "(started)",
            ExecutionOutcome.Failed => call + "(failed)",
            _ => call,
        };
    }
}
