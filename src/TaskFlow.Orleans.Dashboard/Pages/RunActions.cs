using Microsoft.AspNetCore.Http;
using TaskFlow.Orleans.Dashboard.Audit;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Dashboard.Security;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>What an operator can do to a run: the buttons, the confirmation page, and carrying the action out.</summary>
internal static class RunActions
{
    private static readonly Dictionary<DashboardAction, (string Label, string Explanation)> Texts = new()
    {
        [DashboardAction.Suspend] = ("Suspend", "Running tasks finish; nothing new starts; the run ends SUSPENDED and can be resumed."),
        [DashboardAction.Resume] = ("Resume", "The run goes on where it stopped."),
        [DashboardAction.Cancel] = ("Cancel (revert)", "Running tasks finish, then everything that ran is reverted; the run ends REVERTED."),
        [DashboardAction.Rerun] = ("Re-run", "A new run starts with the same flow, inputs and tags; this run stays as it is."),
        [DashboardAction.Purge] = ("Purge", "The run's logbook and index row are deleted for good."),
    };

    /// <summary>The action's name in URLs.</summary>
    public static string Slug(DashboardAction action) => action.ToString().ToLowerInvariant();

    /// <summary>The action named in a URL.</summary>
    public static DashboardAction? Parse(string slug) =>
        Enum.GetValues<DashboardAction>().Cast<DashboardAction?>().FirstOrDefault(a => Slug(a!.Value) == slug);

    /// <summary>Whether the action does something to a run in this state.</summary>
    public static bool AppliesTo(DashboardAction action, FlowState state) => action switch
    {
        DashboardAction.Suspend => state is FlowState.Running or FlowState.Resuming or FlowState.Pending,
        DashboardAction.Resume => state is FlowState.Suspended,
        DashboardAction.Cancel => state is FlowState.Running or FlowState.Resuming or FlowState.Suspending or FlowState.Suspended or FlowState.Pending,
        DashboardAction.Rerun => true,
        DashboardAction.Purge => state is FlowState.Success or FlowState.Failure or FlowState.Reverted,
        _ => false,
    };

    /// <summary>The run's action buttons: links to each applicable, enabled action's confirmation.</summary>
    public static void WriteButtons(Html html, PageContext page, FlowSnapshot snapshot)
    {
        var actions = Enum.GetValues<DashboardAction>().Where(a => page.Options.IsEnabled(a) && AppliesTo(a, snapshot.State)).ToList();
        if (actions.Count == 0)
        {
            return;
        }

        html.Open("nav", ("class", "actions"), ("id", "actions"));
        foreach (var action in actions)
        {
            html.Element("a", Texts[action].Label, ("href", page.RunLink(snapshot.FlowId) + "/confirm/" + Slug(action)),
                ("class", "button action-" + Slug(action)), ("data-action", Slug(action)));
        }

        html.Close("nav");
    }

    /// <summary>The confirmation page: what the action will do, and a form that posts it with an antiforgery token.</summary>
    public static async Task<IResult> ConfirmAsync(PageContext page, string flowId, DashboardAction action)
    {
        var snapshot = await page.Client.GetStoredSnapshotAsync(flowId, page.Aborted);
        var (label, explanation) = Texts[action];
        var body = Layout.Page(page, $"{label}: {snapshot.FactoryName ?? snapshot.FlowName}", "runs", html =>
        {
            html.Open("p").Text("Run ").Element("code", snapshot.FlowId).Text(" is ").Badge(snapshot.State).Text(".").Close("p");
            html.Element("p", explanation);
            if (!AppliesTo(action, snapshot.State))
            {
                html.Element("p", $"{label} does nothing to a run that is {StateNames.Of(snapshot.State)}.", ("class", "banner error"));
            }

            html.Open("form", ("method", "post"), ("action", page.RunLink(flowId) + "/" + Slug(action)), ("class", "confirm"))
                .Open("input", ("type", "hidden"), ("name", page.Tokens.FormFieldName), ("value", page.Tokens.RequestToken))
                .Element("button", $"Yes, {label.ToLowerInvariant()}", ("type", "submit"), ("id", "confirm"), ("class", "button danger"))
                .Link(page.RunLink(flowId), "No, go back", "back")
                .Close("form");
        });
        return Results.Content(body, "text/html; charset=utf-8");
    }

    /// <summary>Carries out an action and records it in the audit log.</summary>
    /// <returns>Where the browser goes next, and what the audit log recorded.</returns>
    public static async Task<ActionOutcome> RunAsync(PageContext page, string flowId, DashboardAction action)
    {
        var client = page.Client;
        var stored = await client.GetStoredSnapshotAsync(flowId, page.Aborted);
        ActionOutcome outcome;
        if (!AppliesTo(action, stored.State))
        {
            outcome = new ActionOutcome(false, stored.State, null,
                $"{Texts[action].Label} does nothing to a run that is {StateNames.Of(stored.State)}; nothing was done.");
        }
        else
        {
            var handle = client.GetFlowHandle(flowId);
            outcome = action switch
            {
                DashboardAction.Suspend => Done((await handle.SuspendAsync(page.Aborted)).State, "suspended"),
                DashboardAction.Resume => Done((await handle.ResumeAsync(page.Aborted)).State, "resumed"),
                DashboardAction.Cancel => Done((await handle.CancelAsync($"Cancelled from the dashboard by {DashboardAccess.UserOf(page.Http)}.", page.Aborted)).State, "cancelled"),
                DashboardAction.Rerun => await RerunAsync(page, flowId),
                _ => await PurgeAsync(page, flowId, stored.State),
            };
        }

        var audit = page.Http.RequestServices.GetService(typeof(ITaskFlowAuditLog)) as ITaskFlowAuditLog;
        if (audit is not null)
        {
            await audit.WriteAsync(new DashboardAuditEntry(DateTimeOffset.UtcNow, DashboardAccess.UserOf(page.Http),
                page.Http.Connection.RemoteIpAddress?.ToString(), action, flowId, outcome.Description), page.Aborted);
        }

        return outcome;

        static ActionOutcome Done(FlowState state, string notice) =>
            new(true, state, null, $"{notice}: the run is now {StateNames.Of(state)}", notice);
    }

    private static async Task<ActionOutcome> RerunAsync(PageContext page, string flowId)
    {
        var handle = await page.Client.RerunAsync(flowId, cancellationToken: page.Aborted);
        return new ActionOutcome(true, null, handle.FlowId, $"started run {handle.FlowId}", "rerun");
    }

    private static async Task<ActionOutcome> PurgeAsync(PageContext page, string flowId, FlowState state)
    {
        var purged = await page.Client.PurgeAsync(flowId, page.Aborted);
        return purged
            ? new ActionOutcome(true, state, null, "purged", "purged")
            : new ActionOutcome(false, state, null, "the run was already gone");
    }
}

/// <summary>What an action did.</summary>
/// <param name="Changed">Whether it did something.</param>
/// <param name="State">The run's state after it, when known.</param>
/// <param name="NewFlowId">The id of the run a re-run started.</param>
/// <param name="Description">What the audit log records.</param>
/// <param name="Notice">The notice code the next page shows.</param>
internal sealed record ActionOutcome(bool Changed, FlowState? State, string? NewFlowId, string Description, string Notice = "unchanged");
