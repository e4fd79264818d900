namespace TaskFlow.Orleans;

/// <summary>Thrown when the engine is asked for a state transition its tables do not allow: always a bug.</summary>
[GenerateSerializer]
[Alias("taskflow.InvalidStateTransitionException")]
public sealed class InvalidStateTransitionException : TaskFlowException
{
    /// <summary>Creates the exception naming both states.</summary>
    /// <param name="subject">What changes state, e.g. <c>flow 'boot'</c> or <c>atom 'allocate-ip'</c>.</param>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    public InvalidStateTransitionException(string subject, string from, string to)
        : base($"Illegal transition of {subject} from {from} to {to}.")
    {
        Subject = subject;
        From = from;
        To = to;
    }

    /// <summary>What changes state.</summary>
    [Id(0)] public string Subject { get; }

    /// <summary>The current state.</summary>
    [Id(1)] public string From { get; }

    /// <summary>The requested state.</summary>
    [Id(2)] public string To { get; }
}
