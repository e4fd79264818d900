using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>
/// The run index under a realistic number of stored runs: the runs are written straight through the silo's logbook store
/// (<see cref="ILogbookStore.WriteAsync"/>, <see cref="BatchSize"/> runs per call, not through the engine), then pages are
/// listed the way users list them (<see cref="Client.ITaskFlowClient.ListFlowsAsync"/>), each query many times, and the
/// 50th and 95th percentile latencies are printed against the target (p95 ≤ 50 ms).
/// </summary>
/// <remarks>
/// The runs: ids <c>tNN-0000042</c> (20 id prefixes), 10 flow names <c>flow-N</c> (7 in 10 also started from a factory
/// <c>deploy-N</c>), states 80 % SUCCESS, 8 % FAILURE, 5 % REVERTED, 5 % RUNNING, 2 % PENDING, created over 30 days,
/// tags <c>env:prod</c>/<c>env:dev</c> and one of 25 <c>team-N</c>, a 1 KiB header and a 300-byte run record each, no atom rows.
/// Query <c>i</c> varies the name, tag or prefix with <c>i</c>, so the figures are not of one cached page.
/// </remarks>
internal static class RunIndexBench
{
    /// <summary>Runs per <see cref="ILogbookStore.WriteAsync"/> call while loading.</summary>
    public const int BatchSize = 1000;

    /// <summary>The latency target for a page (95th percentile).</summary>
    public const double TargetP95Ms = 50;

    private static readonly FlowState[] StateMix =
        [.. Enumerable.Repeat(FlowState.Success, 80), .. Enumerable.Repeat(FlowState.Failure, 8), .. Enumerable.Repeat(FlowState.Reverted, 5),
         .. Enumerable.Repeat(FlowState.Running, 5), .. Enumerable.Repeat(FlowState.Pending, 2)];

    /// <summary>Loads <paramref name="runs"/> runs into the silo's store and measures the queries.</summary>
    /// <param name="backend">The backend's name, for the output.</param>
    /// <param name="silo">A silo whose store holds nothing else of its ServiceId.</param>
    /// <param name="runs">How many runs to load.</param>
    /// <param name="queries">How many queries of each kind to time.</param>
    /// <param name="afterLoad">Run after loading, untimed (PostgreSQL: VACUUM ANALYZE, as autovacuum leaves a table that has
    /// held its runs for a while).</param>
    /// <returns>One row per query kind.</returns>
    public static async Task<List<Row>> RunAsync(string backend, BenchSilo silo, int runs, int queries, Func<Task>? afterLoad = null)
    {
        // A page of 50; a few thousand runs (the smoke run) hold too few failed runs of a name for a second page of 50.
        var pageSize = runs >= 20_000 ? 50 : 5;
        var store = silo.Services.GetRequiredService<ILogbookStore>();
        var load = Stopwatch.StartNew();
        await LoadAsync(store, runs);
        load.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {backend} run index: {runs:N0} runs written in {load.Elapsed.TotalSeconds:F1} s ({runs / load.Elapsed.TotalSeconds:F0} runs/s, {BatchSize} per WriteAsync)"));
        if (afterLoad is not null)
        {
            await afterLoad();
        }

        var client = silo.Client;
        var label = string.Create(CultureInfo.InvariantCulture, $"{backend} run index, {runs:N0} runs");
        FlowQuery FailedByName(int i) => new() { States = [FlowState.Failure], Name = $"flow-{i % 10}", PageSize = pageSize };
        Func<int, Task<Func<Task<FlowPage>>>> Plain(Func<int, FlowQuery> query) =>
            i => Task.FromResult<Func<Task<FlowPage>>>(() => client.ListFlowsAsync(query(i) with { PageSize = pageSize }));
        return
        [
            await MeasureAsync($"{label}: FAILURE + name, first page of {pageSize}", queries, Plain(FailedByName)),
            await MeasureAsync($"{label}: FAILURE + name, next page by cursor", queries, async i =>
            {
                // Only the second page is timed: its cursor comes from an untimed first page.
                var first = await client.ListFlowsAsync(FailedByName(i));
                var next = first.Next ?? throw new InvalidOperationException($"Query {i}: the first page of FAILURE runs of flow-{i % 10} has no next page: load more runs.");
                return () => client.ListFlowsAsync(FailedByName(i) with { After = next });
            }),
            await MeasureAsync($"{label}: tag, first page of {pageSize}", queries, Plain(i => new FlowQuery { Tag = $"team-{i % 25}" })),
            await MeasureAsync($"{label}: id prefix, first page of {pageSize}", queries, Plain(i => new FlowQuery { IdPrefix = $"t{i % 20:D2}-" })),
            await MeasureAsync($"{label}: no filter, first page of {pageSize}", queries, Plain(_ => new FlowQuery())),
        ];
    }

    /// <summary>Times <paramref name="queries"/> queries, after a few untimed ones. <paramref name="prepare"/> does the untimed
    /// part of query <c>i</c> (if any) and returns the part to time.</summary>
    private static async Task<Row> MeasureAsync(string name, int queries, Func<int, Task<Func<Task<FlowPage>>>> prepare)
    {
        for (var i = 0; i < Math.Min(10, queries); i++)
        {
            Check(name, await (await prepare(i))());
        }

        var times = new List<double>(queries);
        long total = 0;
        for (var i = 0; i < queries; i++)
        {
            var query = await prepare(i);
            var watch = Stopwatch.StartNew();
            var page = await query();
            watch.Stop();
            Check(name, page);
            times.Add(watch.Elapsed.TotalMilliseconds);
            total += page.Total;
        }

        times.Sort();
        var p50 = Percentile(times, 0.50);
        var p95 = Percentile(times, 0.95);
        var met = p95 <= TargetP95Ms ? "met" : "not met";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: p50 {p50:F2} ms, p95 {p95:F2} ms, max {times[^1]:F1} ms over {queries} queries (about {total / queries:N0} runs match; target p95 ≤ {TargetP95Ms} ms: {met})"));
        return new Row(name, p50, double.NaN, null)
        {
            Note = string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F2} ms, p95 {p95:F2} ms over {queries} queries; target p95 ≤ {TargetP95Ms} ms: {met}"),
        };
    }

    private static void Check(string name, FlowPage page)
    {
        if (page.Flows.Length == 0)
        {
            throw new InvalidOperationException($"{name}: the query found no runs; the loaded runs should match it.");
        }
    }

    /// <summary>The value at fraction <paramref name="q"/> of sorted <paramref name="sorted"/> (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Deletes what <see cref="RunAsync"/> loaded into a PostgreSQL database (the rows of <paramref name="serviceId"/>).</summary>
    public static async Task DeletePostgreSqlRunsAsync(string connectionString, string serviceId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM taskflow_atoms WHERE service_id = @service; DELETE FROM taskflow_runs WHERE service_id = @service", connection);
        command.Parameters.AddWithValue("service", serviceId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>VACUUM ANALYZE of the runs table: the visibility map and statistics autovacuum gives a table whose rows have
    /// been there a while (a freshly loaded table has neither, so every count visits the rows).</summary>
    public static async Task VacuumPostgreSqlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM ANALYZE taskflow_runs", connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task LoadAsync(ILogbookStore store, int runs)
    {
        var header = new byte[1024];
        var payload = new byte[300];
        Random.Shared.NextBytes(header);
        Random.Shared.NextBytes(payload);
        var atomStates = Enum.GetValues<AtomState>().Length;
        var end = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromDays(30);
        for (var start = 0; start < runs; start += BatchSize)
        {
            var batch = new List<LogbookWrite>(BatchSize);
            for (var i = start; i < Math.Min(runs, start + BatchSize); i++)
            {
                // A multiplicative hash spreads the states evenly over every name, tag and prefix.
                var state = StateMix[(int)(((uint)i * 2654435761u >> 8) % (uint)StateMix.Length)];
                var created = end - span + span * ((i + 0.5 * Random.Shared.NextDouble()) / runs);
                var finished = FlowStatus.IsTerminal(state) ? created + TimeSpan.FromSeconds(30) : (DateTimeOffset?)null;
                var counts = new int[atomStates];
                counts[(int)(state == FlowState.Success ? AtomState.Success : AtomState.Pending)] = 20;
                batch.Add(new LogbookWrite
                {
                    RunId = string.Create(CultureInfo.InvariantCulture, $"t{i % 20:D2}-{i:D7}"),
                    WriteId = Guid.NewGuid(),
                    ExpectedVersion = 0,
                    Header = header,
                    Run = new RunRow
                    {
                        FlowName = $"flow-{i % 10}",
                        FactoryName = i % 10 < 7 ? $"deploy-{i % 7}" : null,
                        State = state,
                        CreatedAt = created,
                        UpdatedAt = finished ?? created,
                        FinishedAt = finished,
                        Silo = "bench",
                        FailureSummary = state == FlowState.Failure ? "step-07: InvalidOperationException: the bench says so" : null,
                        Tags = [i % 2 == 0 ? "env:prod" : "env:dev", $"team-{i % 25}"],
                        AtomCounts = counts,
                        Payload = payload,
                    },
                });
            }

            var statuses = await store.WriteAsync(batch);
            if (statuses.Any(s => s != LogbookWriteStatus.Committed))
            {
                throw new InvalidOperationException($"Loading the run index: {statuses.Count(s => s != LogbookWriteStatus.Committed)} of {batch.Count} writes were not committed.");
            }
        }
    }
}
