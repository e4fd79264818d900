using DurabilityMode = TaskFlow.Orleans.Definitions.Durability;
using global::Orleans.Runtime;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Faults;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Durability;

/// <summary>The save protocol's faults shared by several runs, in the relaxed mode, and a logbook of a newer format.</summary>
public sealed partial class SaveProtocolFaultTests
{
    // e. A transaction shared by several runs fails once: every run retries and completes, none re-runs anything.

    [Fact]
    public async Task RunAsync_SharedTransactionFailsOnce_EveryRunRetriesAndCompletesWithoutReruns()
    {
        const int runs = 12;
        var flowIds = Enumerable.Range(0, runs).Select(i => NewFlowId() + "-" + i).ToList();
        var flow = Flow.Linear("shared")
            .Add<GatedTask>("g", provides: "g", inject: ("value", "G"))
            .Add<EchoTask>("e1", provides: "e1", inject: ("value", 1))
            .Add<EchoTask>("e2", provides: "e2", inject: ("value", 2))
            .Build();
        var handles = await Task.WhenAll(flowIds.Select(id => StartAsync(flow, id)));
        await Task.WhenAll(flowIds.Select(id => TaskGates.WaitEnteredAsync(id, "g").WaitAsync(Timeout)));

        // Hold every transaction of these runs: while the committers' slots are held, the runs' next writes queue behind
        // them and go out together. Each run's next write fails once, whichever transaction carries it.
        var mine = flowIds.ToHashSet(StringComparer.Ordinal);
        var hold = Store.StallBatches(batch => batch.Any(w => mine.Contains(w.RunId)));
        foreach (var id in flowIds)
        {
            Store.FailNextWrites(id, 1);
            TaskGates.Open(id, "g");
        }

        await UntilAsync(() => flowIds.All(id => TaskJournal.Executes(id).Count == 1), () => "every g executed");
        await hold.Entered.WaitAsync(Timeout);
        await UntilAsync(() => hold.Holding >= 2, () => $"two transactions held ({hold.Holding})");
        hold.Open();

        var snapshots = await Task.WhenAll(handles.Select(FinishedAsync));

        var shared = Store.Transactions.Where(t => t.Outcome == TransactionOutcome.Failed && t.RunIds.Count(mine.Contains) > 1).ToList();
        Assert.True(shared.Count > 0, "No failed transaction held more than one run: " + string.Join(" ", Store.Transactions.Where(t => t.RunIds.Any(mine.Contains))));
        foreach (var (id, snapshot) in flowIds.Zip(snapshots))
        {
            Assert.Equal(FlowState.Success, snapshot.State);
            Assert.Equal("G", snapshot.Results["g"]);
            Assert.Equal(1, snapshot.Results["e1"]);
            Assert.Equal(2, snapshot.Results["e2"]);
            AssertExecutedOnce(id, "g", "e1", "e2");
            AssertNoRerunOfRecordedOutcome(id, snapshot);
            Assert.Equal(1, Store.CountersOf(id).Failed);
        }
    }

    // f. Relaxed durability under transient write failures: completes, and reports its outcome only once it is durable.

    [Fact]
    public async Task RunAsync_RelaxedRunUnderTransientWriteFailures_CompletesAndReportsOutcomeOnlyOnceDurable()
    {
        var flowId = NewFlowId();
        var (handle, ids) = await StartChainAtBAsync(flowId, DurabilityMode.Relaxed);
        var final = Store.StallNextWrite(flowId, write => write.Run.State == FlowState.Success);

        Store.FailNextWrites(flowId, WriterAttempts - 1);
        TaskGates.Open(flowId, "b");
        await final.Entered.WaitAsync(Timeout);

        // Everything ran, the run's SUCCESS is on its way to the store, but not durable: nobody is told yet.
        await UntilAsync(() => TaskJournal.Executes(flowId).Count == 4, () => "every atom executed");
        var before = await handle.GetStatusAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Running, before.State);
        Assert.Equal(FlowState.Running, (await Store.Inner.ReadAsync(flowId))!.Run.State);

        final.Open();
        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal(FlowState.Success, (await Store.Inner.ReadAsync(flowId))!.Run.State);
        AssertChainSucceeded(result.Snapshot);
        AssertExecutedOnce(flowId, "a", "b", "c", "d");
        AssertNoRerunOfRecordedOutcome(flowId, result.Snapshot);
        Assert.Equal(WriterAttempts - 1, Store.CountersOf(flowId).Failed);
        Assert.Equal(ids.Count, result.Snapshot.Atoms.Length);
    }

    [Fact]
    public async Task GetStatusAsync_RelaxedRunDatabaseDownLongerThanRetriesThenHealed_ResumesAndFinishes()
    {
        var flowId = NewFlowId();
        var (handle, ids) = await StartChainAtBAsync(flowId, DurabilityMode.Relaxed);
        Store.GoDown();
        try
        {
            TaskGates.Open(flowId, "b");
            await UntilAsync(() => Store.CountersOf(flowId).Failed >= WriterAttempts, () => $"{WriterAttempts} failed writes: {Store.CountersOf(flowId)}");
            await WaitDeactivatedAsync("the stopped run", FlowGrain(flowId));
        }
        finally
        {
            Store.Heal();
        }

        // Relaxed: nothing after b's RUNNING became durable, so what ran after it may run again, as the same attempts.
        var snapshot = await FinishedAsync(handle);

        AssertChainSucceeded(snapshot);
        Assert.Equal(FlowState.Success, (await Store.Inner.ReadAsync(flowId))!.Run.State);
        AssertExecutedOnce(flowId, "a");
        AssertRanAgainWithSameExecutionId(flowId, "b", least: 2, most: 2);
        AssertRanAgainWithSameExecutionId(flowId, "c", least: 1, most: 2);
        AssertRanAgainWithSameExecutionId(flowId, "d", least: 1, most: 2);
        AssertNoRerunOfRecordedOutcome(flowId, snapshot);
        Assert.Equal(4, ids.Count);
    }

    // A logbook written by a newer version is refused, with a message naming the version, and left as it is.

    [Fact]
    public async Task GetStatusAsync_LogbookOfNewerFormat_RefusedNamingTheVersionAndLeftUnchanged()
    {
        var template = NewFlowId() + "-template";
        var handle = await StartAsync(Flow.Linear("newer").Add<EchoTask>("a", provides: "a", inject: ("value", 1)).Build(), template);
        await FinishedAsync(handle);
        var source = (await Store.Inner.ReadAsync(template))!;
        var serializer = ((InProcessSiloHandle)Cluster.Primary!).ServiceProvider.GetRequiredService<LogbookSerializer>();
        var header = serializer.Deserialize<RunHeader>(source.Header);
        header.FormatVersion = RunHeader.CurrentFormatVersion + 1;

        var flowId = NewFlowId();
        var statuses = await Store.Inner.WriteAsync(
        [
            new LogbookWrite
            {
                RunId = flowId,
                WriteId = Guid.NewGuid(),
                ExpectedVersion = 0,
                Header = serializer.Serialize(header),
                Run = source.Run,
                Atoms = source.Atoms,
            },
        ]);
        Assert.Equal([LogbookWriteStatus.Committed], statuses);
        var before = (await Store.Inner.ReadAsync(flowId))!;

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => Client.GetFlowHandle(flowId).GetStatusAsync().WaitAsync(Timeout));

        var newer = RunHeader.CurrentFormatVersion + 1;
        Assert.Contains($"format {newer}", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"({RunHeader.CurrentFormatVersion})", exception.Message, StringComparison.Ordinal);
        Assert.Contains(flowId, exception.Message, StringComparison.Ordinal);
        var after = (await Store.Inner.ReadAsync(flowId))!;
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Header, after.Header);
        Assert.Equal(before.Run.Payload, after.Run.Payload);
        Assert.Equal(before.Run.State, after.Run.State);
        Assert.Equal(before.Atoms.Select(a => (a.AtomId, a.State)), after.Atoms.Select(a => (a.AtomId, a.State)));
        Assert.All(before.Atoms.Zip(after.Atoms), pair => Assert.Equal(pair.First.Payload, pair.Second.Payload));
        Assert.DoesNotContain(Store.Transactions, t => t.Holds(flowId));
    }
}
