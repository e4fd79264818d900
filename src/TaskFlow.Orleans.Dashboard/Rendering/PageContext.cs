using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Client;

namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>What a page needs while it is written: the request, the options, links, the formatter, the client.</summary>
internal sealed class PageContext
{
    private AntiforgeryTokenSet? _tokens;

    public PageContext(HttpContext http, DashboardRoutes routes)
    {
        Http = http;
        Options = http.RequestServices.GetRequiredService<IOptions<TaskFlowDashboardOptions>>().Value;
        Client = http.RequestServices.GetRequiredService<ITaskFlowClient>();
        Values = new ValueFormatter(Options);
        Base = http.Request.PathBase.Add(routes.Prefix).Value?.TrimEnd('/') ?? "";
    }

    public HttpContext Http { get; }

    public TaskFlowDashboardOptions Options { get; }

    public ITaskFlowClient Client { get; }

    public ValueFormatter Values { get; }

    /// <summary>The dashboard's root path, without a trailing slash (e.g. <c>/taskflow</c>).</summary>
    public string Base { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A link under the dashboard's root.</summary>
    public string Link(string path) => Base + path;

    /// <summary>The link to a run's page.</summary>
    public string RunLink(string flowId) => Link("/runs/" + Html.Url(flowId));

    /// <summary>The antiforgery token for forms on this page (sets its cookie on the response).</summary>
    public AntiforgeryTokenSet Tokens =>
        _tokens ??= Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
}
