namespace TaskFlow.Orleans.Cli;

/// <summary>The tool's exit codes; <c>taskflow --help</c> and <c>docs/cli.md</c> list them, and scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked; a run it followed ended SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>A run the command followed ended FAILURE or REVERTED (or was left SUSPENDED), or a purge found nothing.</summary>
    public const int FlowDidNotSucceed = 1;

    /// <summary>Bad usage or input: an unknown option, a bad port or id, an input that is not name=value, a flow its
    /// inputs cannot compile, a run id already in use. Nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>The cluster could not be reached, or contact was lost and could not be re-established in time.</summary>
    public const int ClusterUnavailable = 3;

    /// <summary>No run has the id, or no flow factory has the name.</summary>
    public const int NotFound = 4;

    /// <summary>The cluster answered but could not do it: a stored run it cannot read (damaged), a storage failure, or an
    /// error the tool did not expect (run again with <c>--verbose</c> for the details).</summary>
    public const int ClusterError = 5;

    /// <summary>Stopped by Ctrl+C (a run the command followed goes on).</summary>
    public const int Cancelled = 130;

    /// <summary>The codes in one paragraph, for the help text.</summary>
    public const string Summary =
        "Exit codes: 0 done (a followed run ended SUCCESS); 1 a followed run ended FAILURE, REVERTED or SUSPENDED; 2 bad usage or " +
        "input; 3 the cluster cannot be reached; 4 no such run or flow factory; 5 the cluster could not do it (e.g. a damaged " +
        "stored run); 130 cancelled with Ctrl+C. Errors are one line on standard error; --verbose or TASKFLOW_DEBUG=1 adds details.";
}
