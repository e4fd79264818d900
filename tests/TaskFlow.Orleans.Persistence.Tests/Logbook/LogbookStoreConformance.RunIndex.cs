using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>
/// The run index (<see cref="ILogbookStore.QueryAsync"/>, <see cref="ILogbookStore.CountByStateAsync"/>): every store is
/// checked against one expectation computed here from the runs written, so memory, SQLite and PostgreSQL return the same
/// runs in the same order: filters combine with AND; newest first, ties broken by run id in ordinal order; keyset paging
/// with no duplicates and no gaps; totals ignore the cursor and the limit; entries carry no payload.
/// </summary>
public abstract partial class LogbookStoreConformance
{
    /// <summary>The newest creation time of the index runs (whole microseconds, offset +02:00).</summary>
    private static readonly DateTimeOffset IndexNewest = Created;

    /// <summary>A run of the index data set, as it is stored after its last write.</summary>
    private sealed record IndexRun(string Id, RunRow Row);

    /// <summary>
    /// 30 runs: ids with LIKE wildcards, a backslash, and mixed case; several runs per creation time (some apart by one
    /// microsecond only); every state; factory names equal to another run's flow name; tags that are prefixes of others and
    /// an empty tag. Every fourth run is created with other states, names and tags and then updated to its final row.
    /// </summary>
    private static IReadOnlyList<IndexRun> IndexRuns()
    {
        (string Id, int Minutes, long ExtraMicroseconds)[] keys =
        [
            ("a_b%1", 0, 0), ("a_b%2", 0, 0), ("axb%1", 0, 0), ("a_bc", 1, 0), ("a%b_", 1, 0), ("A_B%3", 2, 0), (@"a\b", 2, 0),
            ("a_b", 3, 0), ("Run-Z", 4, 0), ("run-a", 4, 0), ("run_a", 4, 0), ("run-B", 4, 0), ("run-a1", 4, 0), ("Run-a", 4, 0),
        ];
        var ids = keys.ToList();
        for (var k = 0; k < 16; k++)
        {
            // Minutes 5..10; within a minute some runs one microsecond apart, some at the very same time.
            ids.Add(($"r-{(k * 7) % 16:00}", 5 + (k % 6), k % 5 == 0 ? 1 : 0));
        }

        string?[] factories = [null, "build", "nightly", "deploy-factory"];
        string[][] tags = [[], ["prod"], ["pro", "team a"], ["", "prod"], ["team a", "prod", "x_%"]];
        return ids.Select((key, i) =>
        {
            var state = (FlowState)(i * 3 % 8);
            var created = IndexNewest.AddMinutes(-key.Minutes).AddTicks(key.ExtraMicroseconds * TimeSpan.TicksPerMicrosecond);
            return new IndexRun(key.Id, new RunRow
            {
                FlowName = new[] { "build", "deploy", "test" }[i % 3],
                FactoryName = factories[i % 4],
                State = state,
                CreatedAt = created,
                UpdatedAt = created.AddSeconds(i + 1),
                FinishedAt = state is FlowState.Success or FlowState.Failure or FlowState.Reverted ? created.AddSeconds(i + 2) : null,
                Silo = i % 2 == 0 ? "S127.0.0.1:11111:1" : null,
                FailureSummary = state == FlowState.Failure ? $"failure {i}" : null,
                Tags = tags[i % 5],
                AtomCounts = [i, 1, 0, 0, 0, 0, 0, 0, 2],
                Payload = Bytes(40 + i, i),
            });
        }).ToList();
    }

    /// <summary>A fresh ServiceId (so no other test's runs are in it) holding the index data set.</summary>
    private async Task<(ILogbookStore Store, IReadOnlyList<IndexRun> Runs)> IndexStoreAsync()
    {
        Fixture.Require();
        var store = Fixture.For(Fixture.ServiceId + "-index-" + Guid.NewGuid().ToString("N")[..8]);
        var runs = IndexRuns();
        await WriteIndexRunsAsync(store, runs);
        return (store, runs);
    }

    private static async Task WriteIndexRunsAsync(ILogbookStore store, IReadOnlyList<IndexRun> runs)
    {
        var creates = runs.Select((run, i) => Create(run.Id, run: i % 4 == 0
            ? run.Row with { State = FlowState.Pending, FlowName = "stale", FactoryName = "stale", Tags = ["stale"], FinishedAt = null }
            : run.Row)).ToArray();
        Assert.All(await store.WriteAsync(creates), s => Assert.Equal(LogbookWriteStatus.Committed, s));
        var updates = runs.Where((_, i) => i % 4 == 0)
            .Select(run => new LogbookWrite { RunId = run.Id, WriteId = Guid.NewGuid(), ExpectedVersion = 1, Run = run.Row, Atoms = [Atom(1, 1)] })
            .ToArray();
        Assert.All(await store.WriteAsync(updates), s => Assert.Equal(LogbookWriteStatus.Committed, s));
    }

    /// <summary>The reference semantics, from the data set: the runs that match the filters (not the cursor), in order.</summary>
    private static List<IndexRun> Matching(IEnumerable<IndexRun> runs, RunIndexQuery query) => runs
        .Where(r => query.States.Count == 0 || query.States.Contains(r.Row.State))
        .Where(r => query.Name is null || r.Row.FlowName == query.Name || r.Row.FactoryName == query.Name)
        .Where(r => query.Tag is null || r.Row.Tags.Contains(query.Tag, StringComparer.Ordinal))
        .Where(r => query.CreatedFrom is not { } from || r.Row.CreatedAt.UtcTicks >= from.UtcTicks)
        .Where(r => query.CreatedBefore is not { } before || r.Row.CreatedAt.UtcTicks < before.UtcTicks)
        .Where(r => query.IdPrefix is null || r.Id.StartsWith(query.IdPrefix, StringComparison.Ordinal))
        .OrderByDescending(r => r.Row.CreatedAt.UtcTicks)
        .ThenByDescending(r => r.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>The expected page: the matching runs strictly after the cursor, up to the limit.</summary>
    private static List<IndexRun> ExpectedPage(IEnumerable<IndexRun> runs, RunIndexQuery query) => Matching(runs, query)
        .Where(r => query.After is not { } after
                    || r.Row.CreatedAt.UtcTicks < after.CreatedAt.UtcTicks
                    || (r.Row.CreatedAt.UtcTicks == after.CreatedAt.UtcTicks && string.CompareOrdinal(r.Id, after.RunId) < 0))
        .Take(query.Limit)
        .ToList();

    /// <summary>Runs the query and checks the page (ids in order, every column, no payload) and the total against the
    /// expectation.</summary>
    private static async Task<RunIndexResult> AssertQueryAsync(ILogbookStore store, IReadOnlyList<IndexRun> runs, RunIndexQuery query)
    {
        var result = await store.QueryAsync(query);

        var expected = ExpectedPage(runs, query);
        Assert.Equal(expected.Select(r => r.Id), result.Entries.Select(e => e.RunId));
        Assert.Equal(Matching(runs, query).Count, result.Total);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Empty(result.Entries[i].Run.Payload);
            AssertRun(expected[i].Row with { Payload = [] }, result.Entries[i].Run);
        }

        return result;
    }

    private static RunIndexQuery All => new() { Limit = 1000 };

    private static string[] Ids(RunIndexResult result) => [.. result.Entries.Select(e => e.RunId)];

    [SkippableFact]
    public async Task Query_WithoutFilters_ListsEveryRunNewestFirstTiesByOrdinalRunIdWithoutPayload()
    {
        var (store, runs) = await IndexStoreAsync();

        var result = await AssertQueryAsync(store, runs, All);

        Assert.Equal(30, result.Total);
        Assert.Equal(30, result.Entries.Count);
        // The six runs of minute 4, in descending ordinal order: lower case after upper case, '_' (0x5F) after '-' (0x2D)
        // and after upper-case letters; a culture-aware collation would order them otherwise.
        Assert.Equal(["run_a", "run-a1", "run-a", "run-B", "Run-a", "Run-Z"],
            Ids(result).Where(id => id.StartsWith("run", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(["axb%1", "a_b%2", "a_b%1"], Ids(result).Take(3));
    }

    [SkippableFact]
    public async Task Query_EachFilterAlone_ReturnsExactlyTheMatchingRunsInOrder()
    {
        var (store, runs) = await IndexStoreAsync();

        // States: one (an equality), several, duplicates, and all eight.
        await AssertQueryAsync(store, runs, All with { States = [FlowState.Failure] });
        await AssertQueryAsync(store, runs, All with { States = [FlowState.Pending, FlowState.Suspended, FlowState.Running] });
        await AssertQueryAsync(store, runs, All with { States = [FlowState.Reverted, FlowState.Reverted] });
        var everyState = await AssertQueryAsync(store, runs, All with { States = Enum.GetValues<FlowState>() });
        Assert.Equal(30, everyState.Total);

        // Name: the flow name or the factory name ("build" is both a flow name and a factory name).
        var build = await AssertQueryAsync(store, runs, All with { Name = "build" });
        Assert.Contains(build.Entries, e => e.Run.FlowName != "build");
        Assert.Contains(build.Entries, e => e.Run.FactoryName != "build");
        await AssertQueryAsync(store, runs, All with { Name = "deploy-factory" });
        await AssertQueryAsync(store, runs, All with { Name = "nightly" });

        // Tag: the whole tag, not a part of one ("pro" is a prefix of "prod"); the empty tag; a tag with wildcards.
        var pro = await AssertQueryAsync(store, runs, All with { Tag = "pro" });
        Assert.All(pro.Entries, e => Assert.Equal(["pro", "team a"], e.Run.Tags));
        await AssertQueryAsync(store, runs, All with { Tag = "prod" });
        await AssertQueryAsync(store, runs, All with { Tag = "team a" });
        Assert.Equal(6, (await AssertQueryAsync(store, runs, All with { Tag = "" })).Total);
        await AssertQueryAsync(store, runs, All with { Tag = "x_%" });
        Assert.Equal(0, (await AssertQueryAsync(store, runs, All with { Tag = "x" })).Total);

        // Created: from inclusive, before exclusive; bounds between microseconds and with another offset.
        await AssertQueryAsync(store, runs, All with { CreatedFrom = IndexNewest.AddMinutes(-4) });
        await AssertQueryAsync(store, runs, All with { CreatedFrom = IndexNewest.AddMinutes(-4).AddTicks(1) });
        await AssertQueryAsync(store, runs, All with { CreatedBefore = IndexNewest.AddMinutes(-1) });
        await AssertQueryAsync(store, runs, All with { CreatedBefore = IndexNewest.AddMinutes(-1).AddTicks(1) });
        await AssertQueryAsync(store, runs, All with { CreatedFrom = IndexNewest.AddMinutes(-5).AddTicks(10).ToOffset(TimeSpan.FromHours(-7)) });
        await AssertQueryAsync(store, runs, All with { CreatedBefore = IndexNewest.AddMinutes(-5).AddTicks(9).ToUniversalTime() });

        // Id prefix: plain text, so LIKE's wildcards and escape character match only themselves, and case matters.
        var wildcards = await AssertQueryAsync(store, runs, All with { IdPrefix = "a_b%" });
        Assert.Equal(["a_b%1", "a_b%2"], Ids(wildcards).Order(StringComparer.Ordinal));
        Assert.Equal(["a%b_"], Ids(await AssertQueryAsync(store, runs, All with { IdPrefix = "a%" })));
        Assert.Equal([@"a\b"], Ids(await AssertQueryAsync(store, runs, All with { IdPrefix = @"a\" })));
        Assert.Equal(["Run-a", "Run-Z"], Ids(await AssertQueryAsync(store, runs, All with { IdPrefix = "Run" })));
        Assert.Equal(30, (await AssertQueryAsync(store, runs, All with { IdPrefix = "" })).Total);
        await AssertQueryAsync(store, runs, All with { IdPrefix = "r-1" });
    }

    [SkippableFact]
    public async Task Query_CombinedFilters_AllMustMatch()
    {
        var (store, runs) = await IndexStoreAsync();

        foreach (var query in new[]
        {
            All with { States = [FlowState.Pending, FlowState.Success, FlowState.Resuming], Name = "build" },
            All with { Name = "deploy", Tag = "prod", CreatedFrom = IndexNewest.AddMinutes(-8) },
            All with { States = [FlowState.Running], CreatedFrom = IndexNewest.AddMinutes(-9), CreatedBefore = IndexNewest.AddMinutes(-2) },
            All with { IdPrefix = "r-", Tag = "team a", CreatedBefore = IndexNewest.AddMinutes(-6) },
            All with
            {
                States = [.. Enum.GetValues<FlowState>().Where(s => s != FlowState.Failure)], Name = "test", Tag = "prod", IdPrefix = "r",
                CreatedFrom = IndexNewest.AddMinutes(-10), CreatedBefore = IndexNewest.AddMinutes(-4).AddTicks(1),
            },
            All with { States = [FlowState.Suspended], Name = "nightly" },
            All with { Tag = "prod", Name = "build", IdPrefix = "a" },
            All with { IdPrefix = "a", CreatedFrom = IndexNewest.AddMinutes(-2), Tag = "prod" },
        })
        {
            // Each combination keeps some runs and drops others, so a filter the store ignored would show.
            var result = await AssertQueryAsync(store, runs, query);
            Assert.InRange(result.Total, 1, 29);
        }
    }

    [SkippableFact]
    public async Task Query_NothingMatches_ReturnsNoEntriesAndTotalZero()
    {
        var (store, runs) = await IndexStoreAsync();

        foreach (var query in new[]
        {
            All with { Name = "no-such-flow" },
            All with { Tag = "stale" }, // only the first write of the updated runs had it
            All with { Name = "stale" },
            All with { States = [FlowState.Suspending, FlowState.Success], IdPrefix = "zzz" },
            All with { CreatedFrom = IndexNewest.AddTicks(1) },
            All with { CreatedFrom = IndexNewest.AddMinutes(-3), CreatedBefore = IndexNewest.AddMinutes(-3) },
        })
        {
            var result = await store.QueryAsync(query);
            Assert.Empty(result.Entries);
            Assert.Equal(0, result.Total);
            Assert.Empty(Matching(runs, query));
        }

        // A limit of zero, and a cursor after the oldest run: no entries, but the total of the filters.
        var none = await AssertQueryAsync(store, runs, All with { Limit = 0, Name = "build" });
        Assert.Empty(none.Entries);
        Assert.True(none.Total > 0);
        var oldest = Matching(runs, All)[^1];
        var past = await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(oldest.Row.CreatedAt, oldest.Id) });
        Assert.Empty(past.Entries);
        Assert.Equal(30, past.Total);
    }

    [SkippableFact]
    public async Task Query_PagingWithTheCursor_VisitsEveryMatchingRunOnceInOrder()
    {
        var (store, runs) = await IndexStoreAsync();

        foreach (var (filter, pageSize) in new (RunIndexQuery, int)[]
        {
            (new RunIndexQuery(), 1), (new RunIndexQuery(), 4), (new RunIndexQuery(), 7), (new RunIndexQuery(), 30),
            (new RunIndexQuery { States = [FlowState.Pending, FlowState.Running, FlowState.Suspended, FlowState.Failure] }, 3),
            (new RunIndexQuery { States = [FlowState.Running] }, 2),
            (new RunIndexQuery { Name = "build", Tag = "prod" }, 2),
            (new RunIndexQuery { IdPrefix = "r", CreatedBefore = IndexNewest.AddMinutes(-5) }, 5),
        })
        {
            var full = Ids(await AssertQueryAsync(store, runs, filter with { Limit = 1000 }));
            var paged = new List<string>();
            FlowPageCursor? after = null;
            for (var pages = 0; ; pages++)
            {
                Assert.True(pages <= full.Length, "paging does not end");
                var page = await AssertQueryAsync(store, runs, filter with { Limit = pageSize, After = after });
                Assert.Equal(full.Length, page.Total);
                Assert.True(page.Entries.Count <= pageSize);
                paged.AddRange(Ids(page));
                if (page.Entries.Count < pageSize)
                {
                    break;
                }

                var last = page.Entries[^1];
                // The cursor travels as its token, as it does between a client and the silo.
                Assert.True(FlowPageCursor.TryParse(new FlowPageCursor(last.Run.CreatedAt, last.RunId).ToString(), out var cursor));
                after = cursor;
            }

            Assert.Equal(full, paged);
        }
    }

    [SkippableFact]
    public async Task Query_CursorBetweenMicrosecondsOrNotAnId_ContinuesAfterItsPlaceInTheOrder()
    {
        var (store, runs) = await IndexStoreAsync();
        var minute4 = IndexNewest.AddMinutes(-4);

        // At a run's time, with ids that are and are not stored: the rest of that time's runs with smaller ids, then older.
        foreach (var id in new[] { "run-B", "run-b", "Run-a", "", "\uffff", "run-a0" })
        {
            await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(minute4, id) });
            await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(minute4.ToOffset(TimeSpan.FromHours(9)), id), Limit = 3 });
        }

        // Between microseconds: every run of minute 4 is before the cursor in time, so all of them follow it, whatever the id.
        var justAfter = await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(minute4.AddTicks(3), "") });
        Assert.Equal(6, Ids(justAfter).Count(id => id.StartsWith("run", StringComparison.OrdinalIgnoreCase)));
        await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(minute4.AddTicks(-3), "zzz") });
        await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(IndexNewest.AddDays(1), ""), States = [FlowState.Running] });
        await AssertQueryAsync(store, runs, All with { After = new FlowPageCursor(DateTimeOffset.UnixEpoch, "zzz") });
    }

    [SkippableFact]
    public async Task CountByState_CountsEveryRunOfTheServiceByItsCurrentState()
    {
        var (store, runs) = await IndexStoreAsync();

        var counts = await store.CountByStateAsync();

        var expected = runs.GroupBy(r => r.Row.State).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expected.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
        Assert.Equal(30, counts.Values.Sum());
        Assert.Equal(8, counts.Count);
        Assert.DoesNotContain(counts.Values, c => c == 0);
    }

    [SkippableFact]
    public async Task RunIndex_ServiceIdsAreIsolated()
    {
        var (first, runs) = await IndexStoreAsync();
        var second = Fixture.For(Fixture.ServiceId + "-index-other-" + Guid.NewGuid().ToString("N")[..8]);
        var empty = Fixture.For(Fixture.ServiceId + "-index-empty-" + Guid.NewGuid().ToString("N")[..8]);

        // The other service: three runs, two with ids of the first service, in other states, names and tags.
        IndexRun[] others =
        [
            new("a_b%1", Run(1, FlowState.Suspended) with { CreatedAt = IndexNewest.AddMinutes(-4), Tags = ["other"] }),
            new("run-a", Run(2, FlowState.Suspended) with { CreatedAt = IndexNewest.AddMinutes(-4) }),
            new("only-in-second", Run(3, FlowState.Failure) with { CreatedAt = IndexNewest }),
        ];
        await WriteIndexRunsAsync(second, others);

        await AssertQueryAsync(first, runs, All);
        await AssertQueryAsync(first, runs, All with { Name = "boot-server" });
        await AssertQueryAsync(first, runs, All with { Tag = "other" });
        await AssertQueryAsync(first, runs, All with { States = [FlowState.Suspended], Limit = 2 });
        await AssertQueryAsync(second, others, All);
        await AssertQueryAsync(second, others, All with { States = [FlowState.Suspended] });
        await AssertQueryAsync(second, others, All with { IdPrefix = "a_b" });
        await AssertQueryAsync(second, others, All with { After = new FlowPageCursor(IndexNewest.AddMinutes(-4), "run-a") });

        var emptyResult = await empty.QueryAsync(All);
        Assert.Empty(emptyResult.Entries);
        Assert.Equal(0, emptyResult.Total);
        Assert.Empty(await empty.CountByStateAsync());

        Assert.Equal(30, (await first.CountByStateAsync()).Values.Sum());
        var secondCounts = await second.CountByStateAsync();
        Assert.Equal([KeyValuePair.Create(FlowState.Failure, 1L), KeyValuePair.Create(FlowState.Suspended, 2L)], secondCounts.OrderBy(p => p.Key));
    }
}
