namespace TaskFlow.Orleans.Dashboard;

/// <summary>How the TaskFlow dashboard behaves: who may read and operate, which actions exist, what is masked.</summary>
/// <remarks>
/// Secure by default: with no <see cref="ReadPolicy"/> the dashboard answers only requests from this machine (loopback), the
/// way Hangfire's dashboard does, so a dashboard left on a network address shows nothing to other machines until the host
/// names an authorization policy. Policies are evaluated with the host's <c>IAuthorizationService</c>, so the host's
/// authentication middleware must run before the dashboard's endpoints.
/// </remarks>
public sealed class TaskFlowDashboardOptions
{
    /// <summary>The authorization policy a request must satisfy to see the dashboard.</summary>
    /// <value>Default <see langword="null"/>: only loopback requests are answered.</value>
    public string? ReadPolicy { get; set; }

    /// <summary>The authorization policy a request must satisfy to suspend, resume, cancel, re-run or purge a run.</summary>
    /// <value>Default <see langword="null"/>: the same as <see cref="ReadPolicy"/> (loopback only when that is unset too).</value>
    public string? OperatePolicy { get; set; }

    /// <summary>Whether every action is switched off: no buttons are shown and every action request is refused with 403.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Actions switched off one by one (the others stay), e.g. <see cref="DashboardAction.Purge"/>.</summary>
    public ISet<DashboardAction> DisabledActions { get; } = new HashSet<DashboardAction>();

    /// <summary>Stored names (inputs, provided results, arguments) shown as <c>***</c> everywhere: HTML, JSON and live events.
    /// A silo that hosts the dashboard adds its <c>TaskFlowOptions.MaskedKeys</c> to these.</summary>
    public ISet<string> MaskedKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A run that is not finished and has not changed for this long is listed as stuck on the overview.</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the overview and the runs list look for changes to push to open pages.</summary>
    /// <value>Default 1 second.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Values (inputs, results, arguments) longer than this, as JSON, are cut in pages, with their size and a link to
    /// the whole value.</summary>
    /// <value>Default 2,000 characters.</value>
    public int MaxValueLength { get; set; } = 2_000;

    /// <summary>The title shown in the page header.</summary>
    /// <value>Default <c>TaskFlow</c>.</value>
    public string Title { get; set; } = "TaskFlow";

    /// <summary>Whether an action is available: not read-only and not switched off.</summary>
    /// <param name="action">The action.</param>
    /// <returns>Whether pages offer it and requests for it are carried out.</returns>
    public bool IsEnabled(DashboardAction action) => !ReadOnly && !DisabledActions.Contains(action);
}

/// <summary>What an operator can do to a run from the dashboard.</summary>
public enum DashboardAction
{
    /// <summary>Suspend a running run: running tasks finish, nothing new starts.</summary>
    Suspend,

    /// <summary>Resume a suspended run where it stopped.</summary>
    Resume,

    /// <summary>Cancel a run: everything that ran is reverted.</summary>
    Cancel,

    /// <summary>Start a new run with the same flow, inputs and tags.</summary>
    Rerun,

    /// <summary>Delete a finished run from the store and the index.</summary>
    Purge,
}
