using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using TaskFlow.Orleans.States;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The issue's end-to-end fault tests, with real processes as users run them: 3 silo processes
/// (<c>dotnet TaskFlow.Orleans.TestSilo.dll</c>, the shipped silo plus the stress flow) clustered through PostgreSQL, and the <c>taskflow stress</c> command-line tool
/// as the client process. The client starts 200 runs of the 20-step <c>stress-chain</c> sample (every fifth step sleeps
/// <c>slow-ms</c>), waits for every one, and prints a JSON summary; it rides out a dead gateway or database by retrying.
/// Each silo journals every execution, so the tests count how often each step ran.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "PostgreSql")]
[Trait("Category", "EndToEnd")]
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int Flows = 200;
    private static readonly TimeSpan StartedTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(170);

    /// <summary>
    /// <c>kill -9</c> one of 3 silos while 200 runs are in flight, in the default durability (TaskFlow's save order): every
    /// run ends SUCCESS with value = start + 20; every step whose outcome was recorded ran exactly once; only steps RUNNING
    /// at the kill ran twice.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The silos run with their defaults, <c>Durability.Strict</c> (docs/design.md, "Durability: one logbook per run"): an
    /// atom's RUNNING is durable before its task is dispatched, and its outcome is durable (together with its successor's
    /// RUNNING, in one write) before the successor is dispatched. A linear chain therefore has exactly one step RUNNING in its
    /// logbook at any moment, and after a crash only that step may run again: re-dispatched with the same execution id by the
    /// run when its executor's silo died, or by the run's new activation when the run itself lived on the killed silo.
    /// </para>
    /// <para>
    /// From the journals (each silo writes a line with the execution id <c>run/step/attempt</c> as a task starts): no step
    /// ran more than twice; a step that ran twice first started before the kill, ran again after it, and carried the same
    /// execution id both times; at most one step per run ran twice; and no later step of that run had started before the kill
    /// (had one, the re-run step's outcome would have been durable). From the logbook, read (one statement) just before the
    /// kill: every step recorded SUCCESS then ran exactly once over the whole test, and every step journaled before that read
    /// was recorded RUNNING or SUCCESS by then. Re-executed steps are thus at most the runs in flight at the kill (≤ 200).
    /// </para>
    /// </remarks>
    [SkippableFact]
    public async Task Kill9OneSiloMidRun_AllRunsSucceed_ReExecutionsOnlyWhatWasInFlight()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "kill");
        await cluster.StartSilosAsync(3);
        // Each silo listens on an address of its own and advertises it: the cluster is formed as on three machines.
        Assert.Equal(cluster.Silos.Select(s => $"{s.Address}:{s.SiloPort}").Order(StringComparer.Ordinal),
                     await cluster.ActiveMembersAsync());
        // Warm up the logbook read (loading Npgsql, the first connection), so the read just before the kill delays it little.
        await Infrastructure.Logbook.ReadPostgreSqlAsync(connectionString, cluster.Id);

        var prefix = "kill";
        var cli = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500));
        await cli.WaitForOutputAsync("started 200", StartedTimeout, "starting 200 runs");
        var victim = cluster.Silos[1];
        var beforeKill = await Infrastructure.Logbook.ReadPostgreSqlAsync(connectionString, cluster.Id);
        var killIssuedAt = DateTimeOffset.UtcNow;
        cluster.Kill(victim);
        var unfinished = beforeKill.Unfinished(prefix, Flows);
        output.WriteLine($"just before the kill (logbook read in {(killIssuedAt - beforeKill.ReadStartedAt).TotalMilliseconds:0} ms): " +
                         $"{beforeKill.In(AtomState.Success).Count} steps recorded SUCCESS, {beforeKill.In(AtomState.Running).Count} RUNNING, {unfinished} runs unfinished");
        Assert.True(unfinished > 0, "Every run had finished before the kill: the test did not test anything (make the runs slower).");

        await cli.WaitForExitAsync(FinishTimeout, "waiting for 200 runs after the kill");
        var summary = SiloCluster.ReadSummary(cli);
        StressAssert.AllSucceeded(summary, Flows, "after kill -9 of one silo");

        var journal = cluster.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        // Tasks ran on every silo before the kill: the silos on their separate addresses reached each other.
        Assert.Equal(["silo-1", "silo-2", "silo-3"], journal.Entries.Where(e => e.At < killIssuedAt).Select(e => e.Silo).Distinct().Order(StringComparer.Ordinal));
        var reExecuted = StressAssert.OnlyRunningStepsRanAgain(journal, killIssuedAt, cluster.OutputAbout);
        var checkedOutcomes = StressAssert.RecordedOutcomesRanOnce(journal, beforeKill);
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {reExecuted.Count} steps re-executed " +
                         $"({reExecuted.Count(r => r.Runs.Any(e => e.Silo == victim.Process.Name))} of them had run on the killed silo); " +
                         $"{checkedOutcomes} outcomes recorded before the kill ran once; " +
                         $"{journal.Entries.Count(e => e.Silo == victim.Process.Name && e.At < killIssuedAt)} executions on the killed silo before the kill");
        StressAssert.OneExecutionPerStepPlusReExecutions(journal, reExecuted, Flows);
        Assert.True(reExecuted.Count <= unfinished, $"{reExecuted.Count} steps re-executed, more than the {unfinished} runs in flight at the kill.");

        // The run index (what the dashboard lists) followed every run through the kill: its row ends SUCCESS with every step
        // counted SUCCESS, including the runs that were in flight on the killed silo.
        var index = await Infrastructure.Logbook.ReadRunIndexPostgreSqlAsync(connectionString, cluster.Id);
        var rows = index.Where(row => row.Key.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Flows, rows.Count);
        var wrong = rows.Where(row => row.Value.State != FlowState.Success || row.Value.AtomCounts.ElementAtOrDefault((int)AtomState.Success) != StressAssert.Steps)
            .Select(row => $"{row.Key}: {row.Value.State} [{string.Join(",", row.Value.AtomCounts)}]").ToList();
        Assert.True(wrong.Count == 0, "Run index rows that did not follow their run to SUCCESS: " + string.Join("; ", wrong.Take(10)));
    }

    /// <summary>
    /// PostgreSQL stopped (<c>pg_ctl -m fast stop</c>) for a few seconds while 200 runs are in flight, then started: every run
    /// ends SUCCESS with value = start + 20 (none lost, none failed), every step ran, and a step ran twice only as a crash
    /// allows (once more, with the same execution id, at most one per run: a run whose writes failed through the outage is
    /// rebuilt from its durable logbook); and no step started while the server was down (its RUNNING could not be durable).
    /// </summary>
    /// <remarks>Needs <c>TASKFLOW_PGDATA</c>/<c>TASKFLOW_PGBIN</c> and root (CI has both; <c>.ci/run</c> exports them).</remarks>
    [SkippableFact]
    public async Task PostgreSqlRestartedMidRun_AllRunsSucceed()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        var (pgData, pgBin) = TestEnvironment.RequirePgCtl();
        using var cluster = new SiloCluster(output, connectionString, "pgrestart");
        await cluster.StartSilosAsync(3);

        var prefix = "pg";
        var cli = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500));
        await cli.WaitForOutputAsync("started 200", StartedTimeout, "starting 200 runs");
        var stopIssuedAt = DateTimeOffset.UtcNow;
        DateTimeOffset stoppedAt = DateTimeOffset.MaxValue, startIssuedAt = DateTimeOffset.MaxValue, startedAt = DateTimeOffset.MaxValue;
        try
        {
            await TestEnvironment.PgCtlAsync(pgBin, pgData, "stop");
            stoppedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{stoppedAt:O} PostgreSQL stopped");
            // Real time is the point: the outage must outlast the slack below by a clear window.
            await Task.Delay(Outage);
        }
        finally
        {
            startIssuedAt = DateTimeOffset.UtcNow;
            await TestEnvironment.PgCtlAsync(pgBin, pgData, "start");
            startedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{DateTimeOffset.UtcNow:O} PostgreSQL started");
            // This test process's own pooled connections died with the server; the next test must not be handed one.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        await cli.WaitForExitAsync(FinishTimeout, "waiting for 200 runs after the PostgreSQL restart");
        StressAssert.AllSucceeded(SiloCluster.ReadSummary(cli), Flows, "after a PostgreSQL restart");
        var journal = cluster.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        // A run whose writes failed through the outage is rebuilt from its durable logbook: at most its one RUNNING step runs again.
        var reExecuted = StressAssert.OnlyRunningStepsRanAgain(journal, stopIssuedAt, cluster.OutputAbout, "the database outage");
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {reExecuted.Count} steps re-executed; " +
                         $"{journal.Entries.Count(e => e.At < stopIssuedAt)} started before the outage, " +
                         $"{journal.Entries.Count(e => e.At >= stopIssuedAt && e.At <= startedAt)} during it, {journal.Entries.Count(e => e.At > startedAt)} after it");
        Assert.True(journal.Entries.Any(e => e.At > startedAt), "Every step had run before the database came back: the outage was not mid-run (make the runs slower).");
        // A step is dispatched only once its RUNNING is durable: with the server down, nothing can start, except steps whose
        // write committed just before the stop and whose start was slow (DispatchSlack, generous for a loaded 2-core machine).
        var whileDown = journal.Entries.Where(e => e.At > stoppedAt + DispatchSlack && e.At < startIssuedAt).ToList();
        Assert.True(whileDown.Count == 0,
            $"{whileDown.Count} steps started while the database was down ({stoppedAt:O} to {startIssuedAt:O}), so before their RUNNING was durable: " +
            string.Join(", ", whileDown.Take(10).Select(e => $"{e.ExecutionId} at {e.At:O} on {e.Silo}")));
        Assert.All(cluster.Silos, s => Assert.False(s.Process.HasExited, $"{s.Process.Name} exited during the database outage.{Environment.NewLine}{s.Process.Output(60)}"));
    }

    /// <summary>
    /// All 3 silos killed while 200 runs are in flight, then 3 new silo processes started: every unfinished run finishes
    /// without any client calling it (woken by its Orleans reminder), then all 200 are SUCCESS with value = start + 20, and
    /// only the steps recorded RUNNING at the crash ran twice.
    /// </summary>
    /// <remarks>
    /// The restarted silos are a new deployment: same ServiceId (flows and reminders are keyed by it), new ClusterId, so
    /// they need not first vote the 3 dead silos out of the membership table (with the same ClusterId, joining waited on
    /// them and a silo took over a minute to start). The client only starts the runs (<c>--start-only</c>) and exits before
    /// the kill; the 3 silos are killed at once. With no silo left, and once PostgreSQL has ended the dead silos' sessions
    /// (a statement a silo sent just before it died still commits after it is gone), the logbook read then is exactly what
    /// the crash left, and in the default durability (TaskFlow's save order) it decides what may run again: a step recorded
    /// SUCCESS ran once, before the crash; a step recorded RUNNING ran once after the restart (and at most once before, with
    /// the same execution id); a step not yet recorded ran once, after the restart. After the restart the test watches the journals, calling no
    /// flow, until every run's last step has executed: the resume reminder (period 1 minute) must wake each one within
    /// <see cref="ReminderWait"/>. Only then a second client process collects the outcomes.
    /// </remarks>
    [SkippableFact]
    public async Task WholeClusterKilledAndRestarted_EveryUnfinishedRunFinishesByItself()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "restart");
        await cluster.StartSilosAsync(3);
        // Warm up the logbook read (loading Npgsql, the first connection), so the read right after the kill is right after it.
        await Infrastructure.Logbook.ReadPostgreSqlAsync(connectionString, cluster.Id);

        var prefix = "rs";
        var starter = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500, "--start-only"));
        Assert.True(await starter.WaitForExitAsync(StartedTimeout, "starting 200 runs") == 0, starter.Output(60));
        var crashed = cluster.Silos.Select(s => s.Process.Name).ToList();
        var killIssuedAt = DateTimeOffset.UtcNow;
        cluster.KillAll();
        // No silo runs, but a write a silo sent just before it died still runs in the server, and commits, after the process
        // is gone: a read now may miss it. Only once PostgreSQL has ended every session of the dead silos is the logbook
        // exactly as the crash left it (read it earlier and a step whose outcome committed late looks RUNNING, yet it
        // rightly never runs again).
        var rightAfterKill = await Infrastructure.Logbook.ReadPostgreSqlAsync(connectionString, cluster.Id);
        var sessionsEnded = await cluster.WaitForSilosSessionsToEndAsync(SessionsEndTimeout);
        var atCrash = await Infrastructure.Logbook.ReadPostgreSqlAsync(connectionString, cluster.Id);
        var committedLate = rightAfterKill.ChangesTo(atCrash);
        output.WriteLine($"at the crash: {atCrash.In(AtomState.Success).Count} steps recorded SUCCESS, {atCrash.In(AtomState.Running).Count} RUNNING, " +
                         $"{atCrash.Unfinished(prefix, Flows)} runs unfinished (read once the dead silos' database sessions had ended, " +
                         $"{sessionsEnded.TotalMilliseconds:0} ms after the kill; {committedLate.Count} step states committed after a read " +
                         $"right at the kill{(committedLate.Count == 0 ? "" : ": " + string.Join(", ", committedLate.Take(10)))})");

        var lastStep = $"step-{StressAssert.Steps - 1:D2}";
        int Finished() => cluster.ReadJournal().Entries.Where(e => e.Atom == lastStep).Select(e => e.Flow).Distinct().Count();
        var finishedBefore = Finished();
        output.WriteLine($"{finishedBefore} of {Flows} runs had finished when the cluster was killed");
        Assert.True(finishedBefore < Flows, "Every run finished before the kill: nothing to resume (make the runs slower).");

        cluster.NewDeployment();
        await cluster.StartSilosAsync(3);
        var restartedAt = DateTimeOffset.UtcNow;
        var deadline = restartedAt + ReminderWait;
        while (Finished() < Flows && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(1000);
        }

        var finished = Finished();
        output.WriteLine($"{finished} of {Flows} runs finished by themselves {(DateTimeOffset.UtcNow - restartedAt).TotalSeconds:0} s after the restart");
        Assert.True(finished == Flows,
            $"Only {finished} of {Flows} runs reached their last step within {ReminderWait.TotalSeconds:0} s of the restart without a client calling them " +
            $"({finishedBefore} had finished before the kill): the resume reminders did not wake the rest.");

        var waiter = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500, "--wait-only"));
        await waiter.WaitForExitAsync(FinishTimeout, "collecting 200 outcomes after the restart");
        StressAssert.AllSucceeded(SiloCluster.ReadSummary(waiter), Flows, "after a full cluster restart");
        var journal = cluster.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        var reExecuted = StressAssert.OnlyRunningStepsRanAgain(journal, killIssuedAt, cluster.OutputAbout);
        StressAssert.RecordedOutcomesRanOnce(journal, atCrash);
        StressAssert.ReRanOnlyWhatWasRunningAtTheCrash(journal, atCrash, crashed, prefix, Flows);
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {reExecuted.Count} steps re-executed");
    }

    /// <summary>How long PostgreSQL stays down in the restart test.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    /// <summary>How long after the stop a step whose RUNNING committed just before it may still start.</summary>
    private static readonly TimeSpan DispatchSlack = TimeSpan.FromSeconds(2.5);

    /// <summary>How long PostgreSQL may take to end the sessions of killed silos (it ends one as soon as its statement, if
    /// any, is done: milliseconds).</summary>
    private static readonly TimeSpan SessionsEndTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long runs may wait for their reminder after a full restart: one period (1 minute) plus start-up slack.</summary>
    private static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(95);
}
