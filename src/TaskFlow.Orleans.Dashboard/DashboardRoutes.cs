using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Dashboard.Pages;
using TaskFlow.Orleans.Dashboard.Rendering;

namespace TaskFlow.Orleans.Dashboard;

/// <summary>Where the dashboard is mounted, and the error handling every page and API call shares.</summary>
/// <param name="Prefix">The route group's prefix, e.g. <c>/taskflow</c>.</param>
internal sealed record DashboardRoutes(string Prefix)
{
    /// <summary>Runs a page or API handler, turning what can go wrong into a page (or JSON) that says what and what to do, never a
    /// stack trace: an unknown run is 404, a malformed parameter 400, a store or cluster that cannot be reached 503.</summary>
    public async Task<IResult> HandleAsync(HttpContext http, bool json, Func<PageContext, Task<IResult>> handler)
    {
        var page = new PageContext(http, this);
        try
        {
            return await handler(page);
        }
        catch (FlowNotFoundException exception)
        {
            return Problem(page, json, StatusCodes.Status404NotFound, "Run not found",
                $"No run has the id '{exception.FlowId}'. It may never have existed, or it was purged. Find runs on the runs list.");
        }
        catch (BadParameterException exception)
        {
            return Problem(page, json, StatusCodes.Status400BadRequest, $"Bad parameter: {exception.Parameter}", exception.Message);
        }
        catch (AntiforgeryValidationException)
        {
            return Problem(page, json, StatusCodes.Status400BadRequest, "The request was not confirmed",
                "The action's form has expired or did not come from this dashboard, so nothing was done. Reload the run's page and try again.");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TaskFlow.Orleans.Dashboard")
                .LogWarning(exception, "The dashboard could not reach the run store or the cluster for {Path}", http.Request.Path.Value);
            return Problem(page, json, StatusCodes.Status503ServiceUnavailable, "The run store or the cluster is unavailable",
                $"{exception.GetType().Name}: {exception.Message} Nothing was changed. The page shows again when the store answers; reload it.");
        }
    }

    /// <summary>An HTML page, with the security headers.</summary>
    public static IResult Html(string body, int status = StatusCodes.Status200OK) =>
        Results.Content(body, "text/html; charset=utf-8", statusCode: status);

    /// <summary>A 403 page (or JSON problem under api/) that says why.</summary>
    public static IResult Forbidden(PageContext page, string reason) =>
        Problem(page, page.Http.Request.Path.Value?.Contains("/api/", StringComparison.Ordinal) == true, StatusCodes.Status403Forbidden, "Not allowed", reason);

    private static IResult Problem(PageContext page, bool json, int status, string title, string detail)
    {
        if (json)
        {
            return Results.Problem(detail: detail, statusCode: status, title: title);
        }

        var body = Layout.Page(page, title, "", html => html.Element("p", detail, ("class", "problem"), ("id", "problem")),
            banner: status == StatusCodes.Status503ServiceUnavailable ? title : null);
        return Html(body, status);
    }

    // The store, the silos or the network: anything else is a bug and goes to the host's error handling.
    private static bool IsUnavailable(Exception exception) => exception is FlowStorageException or TimeoutException
        or global::Orleans.Runtime.OrleansException or global::Orleans.Runtime.SiloUnavailableException
        or System.Net.Sockets.SocketException or System.Data.Common.DbException
        || exception.InnerException is { } inner && IsUnavailable(inner);
}
