namespace TaskFlow.Orleans.Cli;

/// <summary>A failure the tool itself diagnosed: its message is the one line printed, <see cref="ExitCode"/> the exit code.</summary>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="message">What went wrong, naming the thing and how to fix it.</param>
/// <param name="innerException">What caused it, shown with <c>--verbose</c>.</param>
internal sealed class CliException(int exitCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The exit code, one of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>Bad usage or input (<see cref="ExitCodes.BadInput"/>).</summary>
    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);
}
