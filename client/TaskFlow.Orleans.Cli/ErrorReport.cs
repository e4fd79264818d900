using System.Net.Sockets;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace TaskFlow.Orleans.Cli;

/// <summary>Turns any exception a command lets out into one line on standard error and an exit code (<see cref="ExitCodes"/>):
/// the tool never ends with a stack trace unless asked (<c>--verbose</c>, <c>TASKFLOW_DEBUG=1</c>).</summary>
internal static class ErrorReport
{
    /// <summary>The environment variable that, set to 1 or true, prints the details of every error.</summary>
    public const string DebugVariable = "TASKFLOW_DEBUG";

    /// <summary>Whether <c>TASKFLOW_DEBUG</c> asks for details.</summary>
    public static bool DebugFromEnvironment =>
        Environment.GetEnvironmentVariable(DebugVariable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Prints the error's line (and, when <paramref name="verbose"/>, the exception with its stack) on standard error.</summary>
    /// <returns>The exit code.</returns>
    public static int Report(Exception exception, bool verbose)
    {
        var (code, message) = Classify(exception);
        // Plain text, not markup: the message may hold ids and inputs with brackets, which are printed as they are.
        Console.Error.WriteLine("error: " + message);
        if (verbose)
        {
            Console.Error.WriteLine(exception.ToString());
        }

        Console.Error.Flush();
        return code;
    }

    /// <summary>The exit code and the line to print for an exception.</summary>
    public static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        FlowNotFoundException or TaskNotRegisteredException => (ExitCodes.NotFound, exception.Message),
        FlowFailedException => (ExitCodes.FlowDidNotSucceed, exception.Message),
        FlowStorageException => (ExitCodes.ClusterError, exception.Message),
        RunActiveElsewhereException or ExecutorStoppingException => (ExitCodes.ClusterUnavailable, exception.Message + " Try again in a moment."),
        ArgumentException argument => (ExitCodes.BadInput, MessageOf(argument)),
        TaskFlowException or FormatException => (ExitCodes.BadInput, exception.Message),
        OperationCanceledException => (ExitCodes.ClusterUnavailable,
            "The cluster did not answer in time. Check that its silos are up and reachable, and try again (--verbose shows where it waited)."),
        _ when IsClusterTrouble(exception) => (ExitCodes.ClusterUnavailable,
            $"The cluster did not answer ({exception.GetType().Name}: {FirstLine(exception.Message)}). Check that its silos are up " +
            "and reachable (taskflow status <flow-id> shows a run once they are); run again with --verbose for details."),
        _ => (ExitCodes.ClusterError,
            $"Unexpected error ({exception.GetType().Name}: {FirstLine(exception.Message)}). Run again with --verbose (or " +
            $"{DebugVariable}=1) for the details, and report it if it persists."),
    };

    /// <summary>Whether the exception says the cluster (a silo, a gateway, the connection) is away, not that the request is
    /// wrong: such calls are worth retrying, e.g. through another gateway.</summary>
    public static bool IsClusterTrouble(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or ClientNotAvailableException
            or GatewayTooBusyException or TimeoutException or SocketException or RunActiveElsewhereException
            or ExecutorStoppingException => true,
        OrleansConfigurationException => false,
        OrleansException => true,
        AggregateException { InnerExceptions: [var inner] } => IsClusterTrouble(inner),
        _ => false,
    };

    /// <summary>The message without the " (Parameter 'x')" that <see cref="ArgumentException"/> appends: the CLI's user
    /// gave an option, not a parameter.</summary>
    public static string MessageOf(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : exception.Message;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
