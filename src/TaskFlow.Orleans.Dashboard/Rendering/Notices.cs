using Microsoft.AspNetCore.Http;

namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>
/// What a page says after an action redirected to it. The query carries only a code and a state, never text, so a link made by
/// someone else cannot put words on the page.
/// </summary>
internal static class Notices
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["suspended"] = "Suspend asked: running tasks finish, nothing new starts. The run is now {0}.",
        ["resumed"] = "Resume asked. The run is now {0}.",
        ["cancelled"] = "Cancel asked: everything that ran is being reverted. The run is now {0}.",
        ["rerun"] = "This run was started again from the run it re-runs, with the same flow, inputs and tags.",
        ["purged"] = "The run was purged: its logbook and its index row are gone.",
        ["unchanged"] = "Nothing was done: the run is {0}, and that action does not apply to a run in that state.",
    };

    /// <summary>The query that makes the next page say <paramref name="code"/>.</summary>
    public static string Query(string code, States.FlowState? state = null) =>
        state is { } s ? $"?done={code}&state={States.StateNames.Of(s)}" : $"?done={code}";

    /// <summary>The notice the request asks for, if any.</summary>
    public static string? Read(HttpRequest request)
    {
        if (!Messages.TryGetValue(request.Query["done"].ToString(), out var message))
        {
            return null;
        }

        var state = request.Query["state"].ToString();
        var known = Enum.GetValues<States.FlowState>().Select(States.StateNames.Of).Contains(state) ? state : "unknown";
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, message, known);
    }
}
