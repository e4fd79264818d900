using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Dashboard.Audit;
using TaskFlow.Orleans.Dashboard.Pages;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Dashboard.Security;

namespace TaskFlow.Orleans.Dashboard;

/// <summary>The dashboard's HTML pages, their live fragments, the action forms and the embedded assets.</summary>
internal static class DashboardPages
{
    public static void Map(RouteGroupBuilder group, DashboardRoutes routes)
    {
        // A lambda taking only HttpContext would be read as a RequestDelegate, and its IResult dropped.
        static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

        group.MapGet("/", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await OverviewPage.RenderAsync(page, fragment: false)))));
        group.MapGet("/fragment", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await OverviewPage.RenderAsync(page, fragment: true)))));
        group.MapGet("/runs", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await RunsPage.RenderAsync(page, fragment: false)))));
        group.MapGet("/runs/fragment", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await RunsPage.RenderAsync(page, fragment: true)))));
        group.MapGet("/runs/{flowId}", (HttpContext http, string flowId) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await RunPage.RenderAsync(page, flowId, fragment: false))));
        group.MapGet("/runs/{flowId}/fragment", (HttpContext http, string flowId) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await RunPage.RenderAsync(page, flowId, fragment: true))));
        group.MapGet("/runs/{flowId}/values/{kind}/{name}", (HttpContext http, string flowId, string kind, string name) =>
            routes.HandleAsync(http, json: false, page => WholeValue.GetAsync(page, flowId, kind, name)));
        group.MapGet("/runs/{flowId}/confirm/{action}", (HttpContext http, string flowId, string action) => routes.HandleAsync(http, json: false,
            async page => await RefuseActionAsync(page, ActionFrom(page, action)) ?? await RunActions.ConfirmAsync(page, flowId, ActionFrom(page, action))));
        group.MapPost("/runs/{flowId}/{action}", (HttpContext http, string flowId, string action) => routes.HandleAsync(http, json: false,
            page => PostActionAsync(page, flowId, action))).DisableAntiforgery();
        group.MapGet("/silos", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await SilosPage.RenderAsync(page)))));
        group.MapGet("/catalog", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await CatalogPage.RenderAsync(page)))));
        group.MapGet("/audit", Handler((HttpContext http) => routes.HandleAsync(http, json: false,
            async page => DashboardRoutes.Html(await AuditPage.RenderAsync(page)))));
        group.MapGet("/assets/{name}", (HttpContext http, string name) => Assets.Serve(http, name));
    }

    /// <summary>An action named in a URL; an unknown one is a bad parameter.</summary>
    internal static DashboardAction ActionFrom(PageContext page, string slug) =>
        RunActions.Parse(slug) ?? throw new BadParameterException("action",
            $"'{slug}' is not an action; use one of {string.Join(", ", Enum.GetValues<DashboardAction>().Select(RunActions.Slug))}.");

    /// <summary>Whether the request may carry out the action; else the 403 that says why.</summary>
    internal static async Task<IResult?> RefuseActionAsync(PageContext page, DashboardAction action)
    {
        if (!page.Options.IsEnabled(action))
        {
            return DashboardRoutes.Forbidden(page, page.Options.ReadOnly
                ? "The dashboard is read-only (TaskFlowDashboardOptions.ReadOnly): no action is carried out."
                : $"The {RunActions.Slug(action)} action is switched off (TaskFlowDashboardOptions.DisabledActions).");
        }

        var refusal = await page.Http.RequestServices.GetRequiredService<DashboardAccess>().CheckOperateAsync(page.Http);
        return refusal is null ? null : DashboardRoutes.Forbidden(page, refusal);
    }

    private static async Task<IResult> PostActionAsync(PageContext page, string flowId, string slug)
    {
        var action = ActionFrom(page, slug);
        if (await RefuseActionAsync(page, action) is { } refused)
        {
            return refused;
        }

        await page.Http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(page.Http);
        var outcome = await RunActions.RunAsync(page, flowId, action);
        return outcome switch
        {
            { NewFlowId: { } newRun } => Results.Redirect(page.RunLink(newRun) + Notices.Query(outcome.Notice)),
            { Notice: "purged" } => Results.Redirect(page.Link("/runs") + Notices.Query(outcome.Notice)),
            _ => Results.Redirect(page.RunLink(flowId) + Notices.Query(outcome.Notice, outcome.State)),
        };
    }
}
