namespace TaskFlow.Orleans.Testing;

/// <summary>Thrown by the kit's assertions (<see cref="RunJournal.AssertOrder"/> and others) when a run's calls are not
/// what the test expected; the message lists what was expected and what the journal holds.</summary>
/// <remarks>A plain exception, so any test framework (xUnit, NUnit, MSTest) reports it as a failed test.</remarks>
public sealed class JournalAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what happened.</param>
    public JournalAssertionException(string message)
        : base(message)
    {
    }
}
