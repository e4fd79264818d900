using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TaskFlow.Orleans.Dashboard.Security;

/// <summary>Who may read the dashboard and who may act through it.</summary>
internal sealed class DashboardAccess(IOptions<TaskFlowDashboardOptions> options, IServiceProvider services)
{
    private readonly TaskFlowDashboardOptions _options = options.Value;

    /// <summary>Whether the request may see the dashboard; else why not.</summary>
    public Task<string?> CheckReadAsync(HttpContext context) => CheckAsync(context, _options.ReadPolicy, "ReadPolicy");

    /// <summary>Whether the request may act on runs; else why not.</summary>
    public Task<string?> CheckOperateAsync(HttpContext context) =>
        CheckAsync(context, _options.OperatePolicy ?? _options.ReadPolicy, _options.OperatePolicy is null ? "ReadPolicy" : "OperatePolicy");

    /// <summary>The name the audit log records for the request.</summary>
    public static string UserOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous (local)";

    private async Task<string?> CheckAsync(HttpContext context, string? policy, string setting)
    {
        if (policy is null)
        {
            return IsLocal(context)
                ? null
                : "The TaskFlow dashboard answers only requests from this machine until an authorization policy is configured: " +
                  "set TaskFlowDashboardOptions.ReadPolicy (and OperatePolicy for actions) to a policy of the host " +
                  "(services.AddTaskFlowDashboard(o => o.ReadPolicy = \"...\")), or add .RequireAuthorization(...) to the route group " +
                  "MapTaskFlowDashboard returns and set the policies too.";
        }

        var authorization = services.GetService<IAuthorizationService>()
            ?? throw new InvalidOperationException(
                $"TaskFlowDashboardOptions.{setting} is '{policy}' but no authorization services are registered: call services.AddAuthorization(...) " +
                "and define that policy.");
        var result = await authorization.AuthorizeAsync(context.User, resource: null, policy);
        return result.Succeeded ? null : $"The request does not satisfy the dashboard's authorization policy '{policy}' ({setting}).";
    }

    // A loopback connection that carries forwarding headers came through a proxy on this machine from somewhere else: it is not
    // local (a proxy in front of a loopback-only dashboard would otherwise open it to the network).
    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) &&
        !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded");
}
