using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Retention;
using TaskFlow.Orleans.States;
using static TaskFlow.Orleans.Persistence.Tests.Logbook.LogbookSamples;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>
/// Retention and bulk purges (<see cref="ILogbookStore.DeleteFinishedAsync"/>, <see cref="ILogbookStore.CountFinishedAsync"/>,
/// <see cref="RetentionSweep"/>): only finished runs that finished before the cutoff go, oldest first and in batches, with
/// their atom rows and run-index entries; newer finished runs, unfinished runs and SUSPENDED runs stay exactly as they were.
/// </summary>
public abstract partial class LogbookStoreConformance
{
    /// <summary>"Now" of the retention tests (whole seconds: every store keeps it exactly).</summary>
    private static readonly DateTimeOffset RetentionNow = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    /// <summary>A run of the retention data set: its state, when it finished (if it did), and whether a 30-day retention at
    /// <see cref="RetentionNow"/> deletes it.</summary>
    private sealed record AgedRun(string Id, FlowState State, DateTimeOffset? FinishedAt, bool Old);

    /// <summary>Eight old finished runs (finished 30 days and 1 second to 90 days ago), three recent ones, and runs that are
    /// not finished: RUNNING, and a SUSPENDED and a RESUMING run with an old finish time from an earlier end (never deleted).</summary>
    private static IReadOnlyList<AgedRun> AgedRuns()
    {
        var runs = new List<AgedRun>();
        FlowState[] finished = [FlowState.Success, FlowState.Failure, FlowState.Reverted];
        for (var i = 0; i < 8; i++)
        {
            var age = KeptFor + TimeSpan.FromSeconds(1) + TimeSpan.FromDays(i * 8) + TimeSpan.FromMinutes(i);
            runs.Add(new AgedRun($"old-{i}-{Guid.NewGuid():N}", finished[i % 3], RetentionNow - age, Old: true));
        }

        runs.Add(new AgedRun($"new-0-{Guid.NewGuid():N}", FlowState.Success, RetentionNow - KeptFor + TimeSpan.FromSeconds(1), Old: false));
        runs.Add(new AgedRun($"new-1-{Guid.NewGuid():N}", FlowState.Failure, RetentionNow - TimeSpan.FromDays(29), Old: false));
        runs.Add(new AgedRun($"new-2-{Guid.NewGuid():N}", FlowState.Reverted, RetentionNow - TimeSpan.FromHours(1), Old: false));
        runs.Add(new AgedRun($"running-{Guid.NewGuid():N}", FlowState.Running, null, Old: false));
        runs.Add(new AgedRun($"suspended-{Guid.NewGuid():N}", FlowState.Suspended, RetentionNow - TimeSpan.FromDays(60), Old: false));
        runs.Add(new AgedRun($"resuming-{Guid.NewGuid():N}", FlowState.Resuming, RetentionNow - TimeSpan.FromDays(61), Old: false));
        return runs;
    }

    /// <summary>A fresh ServiceId holding the retention data set, each run with three atom rows; the logbooks as written.</summary>
    private async Task<(ILogbookStore Store, IReadOnlyList<AgedRun> Runs, Dictionary<string, StoredLogbook> Written)> AgedStoreAsync()
    {
        Fixture.Require();
        var store = Fixture.For(Fixture.ServiceId + "-ret-" + Guid.NewGuid().ToString("N")[..8]);
        var runs = AgedRuns();
        var writes = runs.Select(r => Create(r.Id, run: Run(1, r.State) with
        {
            CreatedAt = (r.FinishedAt ?? RetentionNow) - TimeSpan.FromMinutes(10),
            UpdatedAt = r.FinishedAt ?? RetentionNow,
            FinishedAt = r.FinishedAt,
        })).ToArray();
        Assert.All(await store.WriteAsync(writes), s => Assert.Equal(LogbookWriteStatus.Committed, s));
        var written = new Dictionary<string, StoredLogbook>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            written[run.Id] = await ReadExistingAsync(store, run.Id);
        }

        return (store, runs, written);
    }

    private static async Task AssertRetainedAsync(ILogbookStore store, IReadOnlyList<AgedRun> runs, Dictionary<string, StoredLogbook> written,
                                                  Func<AgedRun, bool> deleted)
    {
        foreach (var run in runs)
        {
            var read = await store.ReadAsync(run.Id);
            if (deleted(run))
            {
                Assert.Null(read);
            }
            else
            {
                AssertSame(written[run.Id], read);
            }
        }

        // The run index holds exactly the runs kept.
        var index = await store.QueryAsync(new RunIndexQuery { Limit = 100 });
        Assert.Equal(runs.Where(r => !deleted(r)).Select(r => r.Id).Order(StringComparer.Ordinal),
                     index.Entries.Select(e => e.RunId).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task DeleteFinished_InBatches_DeletesOldFinishedRunsOldestFirstWithAtomsAndIndexEntriesAndKeepsTheRest()
    {
        var (store, runs, written) = await AgedStoreAsync();
        var filter = new FinishedRunsFilter { FinishedBefore = RetentionNow - KeptFor };
        var old = runs.Where(r => r.Old).OrderBy(r => r.FinishedAt).ToList();

        var tally = await store.CountFinishedAsync(filter);
        Assert.Equal(old.Count, tally.Count);
        Assert.Equal(old[0].FinishedAt, tally.OldestFinishedAt);

        var batches = new List<FinishedRunsDeleted>();
        while (true)
        {
            var batch = await store.DeleteFinishedAsync(filter, limit: 3);
            batches.Add(batch);
            if (batch.RunIds.Count < 3)
            {
                break;
            }
        }

        // 8 runs in batches of 3: 3, 3, 2, each batch the oldest left.
        Assert.Equal([3, 3, 2], batches.Select(b => b.RunIds.Count));
        for (var b = 0; b < batches.Count; b++)
        {
            var expected = old.Skip(b * 3).Take(3).ToList();
            Assert.Equal(expected.Select(r => r.Id).Order(StringComparer.Ordinal), batches[b].RunIds.Order(StringComparer.Ordinal));
            Assert.Equal(expected[0].FinishedAt, batches[b].OldestFinishedAt);
        }

        await AssertRetainedAsync(store, runs, written, r => r.Old);
        Assert.Equal(new FinishedRunsTally(0, null), await store.CountFinishedAsync(filter));
        Assert.Empty((await store.DeleteFinishedAsync(filter, 3)).RunIds);

        // No atom row of a deleted run is left: a new run under its id has only its own.
        var again = Create(old[0].Id, atoms: [Atom(0, 7)]);
        Assert.Equal(LogbookWriteStatus.Committed, await WriteOneAsync(store, again));
        AssertAtoms(again.Atoms, (await ReadExistingAsync(store, old[0].Id)).Atoms);
    }

    [SkippableFact]
    public async Task DeleteFinished_WithStates_DeletesOnlyRunsInThoseStates()
    {
        var (store, runs, written) = await AgedStoreAsync();
        var filter = new FinishedRunsFilter { FinishedBefore = RetentionNow - KeptFor, States = [FlowState.Failure, FlowState.Reverted] };
        bool Doomed(AgedRun r) => r.Old && r.State is FlowState.Failure or FlowState.Reverted;

        Assert.Equal(runs.Count(Doomed), (await store.CountFinishedAsync(filter)).Count);
        var deleted = await store.DeleteFinishedAsync(filter, limit: 100);

        Assert.Equal(runs.Where(Doomed).Select(r => r.Id).Order(StringComparer.Ordinal), deleted.RunIds.Order(StringComparer.Ordinal));
        await AssertRetainedAsync(store, runs, written, Doomed);
    }

    [SkippableTheory]
    [InlineData(FlowState.Suspended)]
    [InlineData(FlowState.Running)]
    public async Task DeleteFinished_AnUnfinishedState_IsRefusedNamingItAndDeletesNothing(FlowState state)
    {
        var (store, runs, written) = await AgedStoreAsync();
        var filter = new FinishedRunsFilter { FinishedBefore = RetentionNow, States = [FlowState.Success, state] };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteFinishedAsync(filter, 100));
        Assert.Contains(StateNames.Of(state), refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CountFinishedAsync(filter));

        await AssertRetainedAsync(store, runs, written, _ => false);
    }

    [SkippableFact]
    public async Task RetentionSweep_OnAFakeClock_DeletesRunsFinishedLongerAgoThanTheRetentionAndKeepsTheOthers()
    {
        var (store, runs, written) = await AgedStoreAsync();
        var clock = new FakeTimeProvider(RetentionNow);
        var forgotten = new List<string>();
        var purger = new FinishedRunsPurger(store, ids =>
        {
            forgotten.AddRange(ids);
            return Task.CompletedTask;
        });
        var options = new TaskFlowRetentionOptions { FinishedRunsKeptFor = KeptFor, BatchSize = 2, PauseBetweenBatches = TimeSpan.Zero };
        var sweep = new RetentionSweep(purger, options, clock, NullLogger.Instance);

        var result = await sweep.RunAsync();

        var old = runs.Where(r => r.Old).ToList();
        Assert.Equal(old.Count, result.Count);
        Assert.Equal(old.Min(r => r.FinishedAt), result.OldestFinishedAt);
        Assert.Equal(old.Select(r => r.Id).Order(StringComparer.Ordinal), forgotten.Order(StringComparer.Ordinal)); // every batch's runs
        await AssertRetainedAsync(store, runs, written, r => r.Old);

        // Two days on, the run that finished 29 days 23:59:59 ago and the one 29 days ago are over the retention too; the
        // unfinished and suspended runs still stay.
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, (await sweep.RunAsync()).Count);
        await AssertRetainedAsync(store, runs, written, r => r.Old || r.Id.StartsWith("new-0", StringComparison.Ordinal) || r.Id.StartsWith("new-1", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task RetentionSweep_Off_DeletesNothing(int? days)
    {
        var (store, runs, written) = await AgedStoreAsync();
        var options = new TaskFlowRetentionOptions { FinishedRunsKeptFor = days is { } d ? TimeSpan.FromDays(d) : null, PauseBetweenBatches = TimeSpan.Zero };
        var sweep = new RetentionSweep(new FinishedRunsPurger(store, _ => Task.CompletedTask), options, new FakeTimeProvider(RetentionNow), NullLogger.Instance);

        Assert.Equal(0, (await sweep.RunAsync()).Count);

        await AssertRetainedAsync(store, runs, written, _ => false);
    }
}
