using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using TaskFlow.Orleans.States;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The embedded default as users run it: one silo process (<c>dotnet TaskFlow.Orleans.TestSilo.dll</c>, the shipped silo plus the stress flow) storing in a SQLite
/// file, localhost clustering, and the <c>taskflow stress</c> command-line tool as the client through the gateway port.
/// Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed class SqliteSiloFaultTests(ITestOutputHelper output)
{
    private const int Flows = 200;
    private static readonly TimeSpan StartedTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(170);

    /// <summary>
    /// <c>kill -9</c> of the only silo while 200 runs of the 20-step stress chain are in flight, then a new silo process on
    /// the same file, ports and ServiceId: every run ends SUCCESS with value = start + 20; every step whose outcome was
    /// recorded ran exactly once; only steps RUNNING at the kill ran twice.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The silo runs with its defaults, <c>Durability.Strict</c> (TaskFlow's save order, docs/design.md): a step's RUNNING is
    /// durable before it is dispatched, its outcome durable (with its successor's RUNNING) before the successor is. SQLite's
    /// reminders are in memory, so after the restart a run resumes when it is next called: the second client process
    /// (<c>--wait-only</c>) calls every run for its outcome.
    /// </para>
    /// <para>
    /// With the silo dead the test reads the logbook file as the crash left it, and holds the journals (one line per task
    /// start, with the execution id <c>run/step/attempt</c>; one directory per silo process) against it: a step recorded
    /// SUCCESS ran once, before the kill; a step recorded RUNNING ran once after the restart and at most once before, with
    /// the same execution id; a step not yet recorded ran once, after the restart; every step that ran before the kill was
    /// recorded RUNNING or SUCCESS; and each run had at most one step RUNNING. So at most one step per run ran twice.
    /// </para>
    /// </remarks>
    [Fact]
    public async Task Kill9SiloMidRun_RestartedOnSameFile_AllRunsSucceed_OnlyRunningStepsRanTwice()
    {
        using var silo = new SingleSilo(output, "sqlite-kill");
        await silo.StartAsync();

        var prefix = "sq";
        var starter = silo.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500, "--start-only"));
        Assert.True(await starter.WaitForExitAsync(StartedTimeout, "starting 200 runs") == 0, starter.Output(60));
        // Let the runs get going, so the kill finds steps recorded SUCCESS, RUNNING and not yet started: a poll of the
        // journals with a deadline, until a fifth of the steps have run.
        var deadline = DateTimeOffset.UtcNow + StartedTimeout;
        while (silo.ReadJournal().Entries.Count < Flows * StressAssert.Steps / 5 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50); // polls the journals until the deadline
        }
        var crashed = silo.Silo!.Name;
        var killIssuedAt = DateTimeOffset.UtcNow;
        silo.Kill();

        var atCrash = silo.ReadLogbook();
        var unfinished = atCrash.Unfinished(prefix, Flows);
        var running = atCrash.In(AtomState.Running);
        output.WriteLine($"at the crash: {atCrash.In(AtomState.Success).Count} steps recorded SUCCESS, {running.Count} RUNNING, {unfinished} runs unfinished; " +
                         $"{silo.ReadJournal().Entries.Count} executions journaled");
        Assert.True(unfinished > 0 && running.Count > 0, "Every run had finished before the kill: the test did not test anything (make the runs slower).");

        await silo.StartAsync();
        var waiter = silo.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500, "--wait-only"));
        await waiter.WaitForExitAsync(FinishTimeout, "collecting 200 outcomes after the restart");
        StressAssert.AllSucceeded(SiloCluster.ReadSummary(waiter), Flows, "after kill -9 of the SQLite silo and a restart");

        var journal = silo.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        var reExecuted = StressAssert.OnlyRunningStepsRanAgain(journal, killIssuedAt, silo.OutputAbout);
        var checkedOutcomes = StressAssert.RecordedOutcomesRanOnce(journal, atCrash);
        StressAssert.ReRanOnlyWhatWasRunningAtTheCrash(journal, atCrash, [crashed], prefix, Flows);
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {reExecuted.Count} steps re-executed " +
                         $"(of {running.Count} recorded RUNNING at the crash); {checkedOutcomes} recorded outcomes ran once");
        StressAssert.OneExecutionPerStepPlusReExecutions(journal, reExecuted, Flows);
    }
}
