using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Dashboard.Audit;
using TaskFlow.Orleans.Dashboard.Pages;
using TaskFlow.Orleans.Dashboard.Security;

namespace TaskFlow.Orleans.Dashboard;

/// <summary>Adds the TaskFlow dashboard to an ASP.NET Core app: a silo that serves web pages, or a client web app.</summary>
public static class TaskFlowDashboardExtensions
{
    /// <summary>Registers the dashboard's services (and <see cref="ITaskFlowClient"/> over the app's Orleans grain factory, if not
    /// registered yet).</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the options: policies, read-only mode, masked keys.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTaskFlowDashboard(this IServiceCollection services, Action<TaskFlowDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TaskFlowDashboardOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxValueLength > 0 && o.StuckAfter > TimeSpan.Zero && o.RefreshInterval > TimeSpan.Zero,
            "TaskFlowDashboardOptions: MaxValueLength, StuckAfter and RefreshInterval must be positive.");
        services.AddTaskFlowClient();
        services.AddAntiforgery();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITaskFlowAuditLog, MemoryAuditLog>();
        services.TryAddSingleton<DashboardAccess>();
        services.TryAddSingleton<OverviewSampler>();
        return services;
    }

    /// <summary>Maps the dashboard's pages, JSON API and live streams under <paramref name="prefix"/>.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="prefix">Where the dashboard is served, e.g. <c>/taskflow</c>.</param>
    /// <returns>The route group, so that the host can add <c>.RequireAuthorization(...)</c> or other conventions.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AddTaskFlowDashboard"/> was not called.</exception>
    public static RouteGroupBuilder MapTaskFlowDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/taskflow")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<DashboardAccess>() is null)
        {
            throw new InvalidOperationException(
                "MapTaskFlowDashboard needs the dashboard's services: call services.AddTaskFlowDashboard(...) when building the app.");
        }

        var routes = new DashboardRoutes("/" + prefix.Trim('/'));
        var group = endpoints.MapGroup(routes.Prefix);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            SecurityHeaders.Apply(http.Response);
            var refusal = await http.RequestServices.GetRequiredService<DashboardAccess>().CheckReadAsync(http);
            return refusal is null ? await next(context) : Refuse(http, refusal);
        });
        group.ExcludeFromDescription();
        DashboardPages.Map(group, routes);
        DashboardApi.Map(group, routes);
        return group;
    }

    /// <summary>A 403 with the reason, as JSON for the API and as text for pages.</summary>
    internal static IResult Refuse(HttpContext http, string reason) =>
        http.Request.Path.Value?.Contains("/api/", StringComparison.Ordinal) == true
            ? Results.Problem(detail: reason, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
            : Results.Text(reason, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
}
