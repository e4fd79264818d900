using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>The overview: runs by state, throughput and failure rate over the last minutes, the latest failures, stuck runs.</summary>
internal static class OverviewPage
{
    private static readonly FlowState[] Unfinished = [FlowState.Pending, FlowState.Running, FlowState.Resuming, FlowState.Suspending];

    public static async Task<string> RenderAsync(PageContext page, bool fragment)
    {
        var data = await OverviewData.LoadAsync(page);
        if (fragment)
        {
            var html = new Html();
            Write(html, page, data);
            return html.ToString();
        }

        return Layout.Page(page, "Overview", "overview", html => Write(html, page, data),
            new LiveRegion(page.Link("/fragment"), page.Link("/api/live")));
    }

    private static void Write(Html html, PageContext page, OverviewData data)
    {
        html.Open("section", ("class", "cards"), ("id", "counts"));
        foreach (var state in Enum.GetValues<FlowState>())
        {
            var name = StateNames.Of(state);
            var count = data.Counts.TryGetValue(state, out var n) ? n : 0;
            html.Open("a", ("class", "card " + Components.StateClass(name)), ("href", page.Link("/runs?state=" + name)), ("data-state", name))
                .Element("span", count.ToString("N0", CultureInfo.InvariantCulture), ("class", "count"))
                .Element("span", name, ("class", "label")).Close("a");
        }

        html.Close("section");
        WriteThroughput(html, data.Intervals);
        html.Open("section", ("class", "latest-failures")).Element("h2", "Latest failures");
        WriteRuns(html, page, data.Failures, "No run has failed.");
        html.Close("section");
        html.Open("section", ("class", "stuck"), ("id", "stuck"))
            .Element("h2", $"Stuck: unfinished, no change for {Components.Duration(page.Options.StuckAfter)}");
        WriteRuns(html, page, data.Stuck, "No run is stuck.");
        html.Close("section");
    }

    private static void WriteThroughput(Html html, IReadOnlyList<Interval> intervals)
    {
        html.Open("section", ("class", "throughput")).Element("h2", "Finished runs per minute");
        if (intervals.Count == 0)
        {
            html.Element("p", "Measuring: the rate shows once this page has been open for a few seconds.", ("class", "none"));
            html.Close("section");
            return;
        }

        var finished = intervals.Sum(i => i.Succeeded + i.Failed);
        var failed = intervals.Sum(i => i.Failed);
        var minutes = (intervals[^1].To - intervals[0].From).TotalMinutes;
        html.Open("p").Element("strong", (finished / Math.Max(minutes, 1e-9)).ToString("0.#", CultureInfo.InvariantCulture), ("id", "rate"))
            .Text($" runs finished per minute over the last {Components.Duration(intervals[^1].To - intervals[0].From)}; ")
            .Element("strong", finished == 0 ? "–" : (failed / (double)finished).ToString("P1", CultureInfo.InvariantCulture), ("id", "failure-rate"))
            .Text(" of them failed or were reverted.").Close("p");

        const int width = 720, height = 80;
        var max = Math.Max(intervals.Max(i => i.PerMinute), 1);
        var barWidth = (double)width / intervals.Count;
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        html.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "rate-chart"), ("width", N(width)), ("height", N(height)),
            ("viewBox", $"0 0 {width} {height}"), ("role", "img"), ("aria-label", "Finished runs per minute"));
        for (var i = 0; i < intervals.Count; i++)
        {
            var interval = intervals[i];
            var total = interval.PerMinute / max * (height - 4);
            var failedPart = interval.Succeeded + interval.Failed == 0 ? 0 : total * interval.Failed / (interval.Succeeded + interval.Failed);
            html.Open("g").Element("title", $"{interval.Succeeded} succeeded, {interval.Failed} failed or reverted");
            html.Element("rect", null, ("class", "ok"), ("x", N(i * barWidth)), ("y", N(height - total)), ("width", N(Math.Max(barWidth - 1, 1))), ("height", N(total - failedPart)));
            html.Element("rect", null, ("class", "bad"), ("x", N(i * barWidth)), ("y", N(height - failedPart)), ("width", N(Math.Max(barWidth - 1, 1))), ("height", N(failedPart)));
            html.Close("g");
        }

        html.Close("svg").Close("section");
    }

    private static void WriteRuns(Html html, PageContext page, IReadOnlyList<FlowSummary> runs, string empty)
    {
        if (runs.Count == 0)
        {
            html.Element("p", empty, ("class", "none"));
            return;
        }

        html.Open("table", ("class", "runs")).Open("tbody");
        foreach (var run in runs)
        {
            html.Open("tr", ("data-flow-id", run.FlowId)).Open("td").Link(page.RunLink(run.FlowId), run.FlowId, "run-link").Close("td")
                .Element("td", run.FactoryName ?? run.FlowName).Open("td").Badge(run.State).Close("td")
                .Open("td").Time(run.UpdatedAt).Close("td").Element("td", run.FailureSummary ?? "", ("class", "failure")).Close("tr");
        }

        html.Close("tbody").Close("table");
    }

    /// <summary>What the overview shows, read from the run index.</summary>
    internal sealed record OverviewData(IReadOnlyDictionary<FlowState, long> Counts, IReadOnlyList<Interval> Intervals,
        IReadOnlyList<FlowSummary> Failures, IReadOnlyList<FlowSummary> Stuck)
    {
        /// <summary>The unfinished runs looked at for stuck ones (newest first); a cluster with more unfinished runs than this
        /// shows the stuck ones among the newest.</summary>
        private const int StuckScan = 2_000;

        public static async Task<OverviewData> LoadAsync(PageContext page)
        {
            var counts = await page.Client.CountByStateAsync(page.Aborted);
            var sampler = page.Http.RequestServices.GetRequiredService<OverviewSampler>();
            sampler.Offer(counts);
            var failures = await page.Client.ListFlowsAsync(new FlowQuery { States = [FlowState.Failure, FlowState.Reverted], PageSize = 10 }, page.Aborted);
            var now = page.Http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var stuck = new List<FlowSummary>();
            string? after = null;
            for (var scanned = 0; scanned < StuckScan;)
            {
                var unfinished = await page.Client.ListFlowsAsync(new FlowQuery { States = [.. Unfinished], PageSize = 500, After = after }, page.Aborted);
                stuck.AddRange(unfinished.Flows.Where(run => now - run.UpdatedAt >= page.Options.StuckAfter));
                scanned += unfinished.Flows.Length;
                if ((after = unfinished.Next) is null)
                {
                    break;
                }
            }

            return new OverviewData(counts, sampler.Intervals(), failures.Flows, [.. stuck.OrderBy(run => run.UpdatedAt).Take(20)]);
        }
    }
}
