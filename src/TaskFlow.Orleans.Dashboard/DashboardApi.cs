using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Dashboard.Audit;
using TaskFlow.Orleans.Dashboard.Pages;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Dashboard;

/// <summary>The dashboard's JSON API (runs, a run, its graph, actions, the audit log) and its live streams (Server-Sent Events).
/// Documented in docs/dashboard.md.</summary>
internal static class DashboardApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Map(RouteGroupBuilder group, DashboardRoutes routes)
    {
        // A lambda taking only HttpContext would be read as a RequestDelegate, and its IResult dropped.
        static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

        group.MapGet("/api/overview", Handler((HttpContext http) => routes.HandleAsync(http, json: true, async page =>
        {
            var data = await OverviewPage.OverviewData.LoadAsync(page);
            return Results.Json(new
            {
                counts = data.Counts.ToDictionary(pair => States.StateNames.Of(pair.Key), pair => pair.Value),
                intervals = data.Intervals.Select(i => new { from = i.From, to = i.To, succeeded = i.Succeeded, failed = i.Failed }),
                latestFailures = data.Failures,
                stuck = data.Stuck,
            }, Json);
        })));
        group.MapGet("/api/runs", Handler((HttpContext http) => routes.HandleAsync(http, json: true,
            async page => Results.Json(await page.Client.ListFlowsAsync(RunFilter.Read(http.Request.Query), page.Aborted), Json))));
        group.MapGet("/api/runs/{flowId}", (HttpContext http, string flowId) => routes.HandleAsync(http, json: true,
            async page => Results.Json(RunJson.Of(await RunView.LoadAsync(page, flowId), page.Values), Json)));
        group.MapGet("/api/runs/{flowId}/graph", (HttpContext http, string flowId) => routes.HandleAsync(http, json: true, async page =>
        {
            var format = http.Request.Query["format"].ToString() is { Length: > 0 } f ? f : "json";
            if (format is not ("json" or "svg" or "dot" or "mermaid"))
            {
                throw new BadParameterException("format", $"format '{format}' is not a graph format; use json, svg, dot or mermaid.");
            }

            var graph = await page.Client.GetGraphAsync(flowId, page.Aborted);
            var snapshot = await page.Client.GetStoredSnapshotAsync(flowId, page.Aborted);
            var states = snapshot.Atoms.ToDictionary(a => a.Name, a => a.State, StringComparer.Ordinal);
            return format switch
            {
                "svg" => Results.Text(Client.Graphs.FlowGraphRenderer.ToSvg(graph, states), "image/svg+xml; charset=utf-8"),
                "dot" => Results.Text(Client.Graphs.FlowGraphRenderer.ToDot(graph, states), "text/vnd.graphviz; charset=utf-8"),
                "mermaid" => Results.Text(Client.Graphs.FlowGraphRenderer.ToMermaid(graph, states), "text/plain; charset=utf-8"),
                _ => Results.Json(new { graph, states = states.ToDictionary(p => p.Key, p => States.StateNames.Of(p.Value)) }, Json),
            };
        }));
        group.MapGet("/api/token", (HttpContext http) =>
        {
            var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
            return Results.Json(new { headerName = tokens.HeaderName, token = tokens.RequestToken }, Json);
        });
        group.MapPost("/api/runs/{flowId}/{action}", (HttpContext http, string flowId, string action) => routes.HandleAsync(http, json: true, async page =>
        {
            var chosen = DashboardPages.ActionFrom(page, action);
            if (await DashboardPages.RefuseActionAsync(page, chosen) is { } refused)
            {
                return refused;
            }

            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            var outcome = await RunActions.RunAsync(page, flowId, chosen);
            return Results.Json(new
            {
                changed = outcome.Changed,
                state = outcome.State is { } s ? States.StateNames.Of(s) : null,
                newFlowId = outcome.NewFlowId,
                description = outcome.Description,
            }, Json, statusCode: outcome.Changed ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        })).DisableAntiforgery();
        group.MapGet("/api/audit", Handler((HttpContext http) => routes.HandleAsync(http, json: true, async page =>
            Results.Json(await http.RequestServices.GetRequiredService<ITaskFlowAuditLog>().ReadLatestAsync(200, page.Aborted), Json))));
        group.MapGet("/api/live", Handler((HttpContext http) => routes.HandleAsync(http, json: true, page =>
            Task.FromResult<IResult>(TypedResults.ServerSentEvents(IndexChangesAsync(page, RunFilter.Read(http.Request.Query) with { After = null }), "changed")))));
        group.MapGet("/api/runs/{flowId}/live", (HttpContext http, string flowId) => routes.HandleAsync(http, json: true, async page =>
        {
            var first = await page.Client.GetStoredSnapshotAsync(flowId, page.Aborted); // an unknown run is a 404 before the stream starts
            return TypedResults.ServerSentEvents(RunChangesAsync(page, first));
        }));
        group.MapGet("/api/runs/{flowId}/events", (HttpContext http, string flowId) => routes.HandleAsync(http, json: true, async page =>
        {
            var run = await RunView.LoadAsync(page, flowId); // an unknown run is a 404 before the stream starts
            return TypedResults.ServerSentEvents(RunEventsAsync(page, run));
        }));
    }

    // One index read per interval while the page is open; an event only when what the page shows changed.
    private static async IAsyncEnumerable<string> IndexChangesAsync(PageContext page, FlowQuery filter)
    {
        var timeProvider = page.Http.RequestServices.GetRequiredService<TimeProvider>();
        var sampler = page.Http.RequestServices.GetRequiredService<OverviewSampler>();
        string? last = null;
        while (!page.Aborted.IsCancellationRequested)
        {
            string? version;
            try
            {
                var counts = await page.Client.CountByStateAsync(page.Aborted);
                sampler.Offer(counts);
                var first = await page.Client.ListFlowsAsync(filter, page.Aborted);
                version = string.Join(";", counts.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")) + "|" + first.Total + "|" +
                          string.Join(";", first.Flows.Select(f => $"{f.FlowId}:{f.State}:{f.UpdatedAt.UtcTicks}"));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                version = "unavailable"; // the page reloads and shows the banner
            }

            if (last is not null && version != last)
            {
                yield return version.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            last = version;
            try
            {
                await Task.Delay(page.Options.RefreshInterval, timeProvider, page.Aborted);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    // The run's logbook, read twice per refresh interval: a change reaches the page without asking the run's engine, so
    // watching a crashed run never wakes (and resumes) it. Ends once the run is finished and the page has been told.
    private static async IAsyncEnumerable<SseItem<string>> RunChangesAsync(PageContext page, FlowSnapshot first)
    {
        var timeProvider = page.Http.RequestServices.GetRequiredService<TimeProvider>();
        var last = Version(first);
        var finished = first.IsFinished;
        while (!finished && !page.Aborted.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(page.Options.RefreshInterval / 2, timeProvider, page.Aborted);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            FlowSnapshot? snapshot;
            try
            {
                snapshot = await page.Client.GetStoredSnapshotAsync(first.FlowId, page.Aborted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                snapshot = null; // the store is down: the page's refresh shows the banner
            }

            var version = snapshot is null ? "unavailable" : Version(snapshot);
            if (version != last)
            {
                last = version;
                yield return new SseItem<string>(snapshot is null ? "unavailable" : States.StateNames.Of(snapshot.State), "changed");
            }

            finished = snapshot?.IsFinished == true;
        }

        if (finished)
        {
            yield return new SseItem<string>("{}", "end");
        }

        static string Version(FlowSnapshot snapshot) =>
            snapshot.State + "|" + string.Join(";", snapshot.Atoms.Select(a =>
                $"{a.State}:{a.Progress.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{a.FinishedAt?.UtcTicks}"));
    }

    private static async IAsyncEnumerable<SseItem<string>> RunEventsAsync(PageContext page, RunView run)
    {
        var handle = page.Client.GetFlowHandle(run.Snapshot.FlowId);
        await using var events = WatchQuietly(handle, page.Aborted).GetAsyncEnumerator(page.Aborted);
        while (await events.MoveNextAsync())
        {
            var flowEvent = events.Current;
            yield return new SseItem<string>(JsonSerializer.Serialize(RunJson.Of(flowEvent, run, page.Values), Json), "flow-event")
            {
                EventId = flowEvent.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        yield return new SseItem<string>("{}", "end");
    }

    private static async IAsyncEnumerable<FlowEvent> WatchQuietly(Client.FlowHandle handle, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = handle.WatchAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return events.Current;
        }
    }
}
