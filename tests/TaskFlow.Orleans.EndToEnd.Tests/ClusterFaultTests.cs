using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The issue's end-to-end fault tests, with real processes as users run them: 3 silo processes
/// (<c>dotnet TaskFlow.Orleans.Silo.dll</c>) clustered through PostgreSQL, and the <c>taskflow stress</c> command-line tool
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
    /// <c>kill -9</c> one of 3 silos while 200 runs are in flight: all 200 end SUCCESS with value = start + 20, every step ran,
    /// and re-executions stay within what was in flight at the kill.
    /// </summary>
    /// <remarks>
    /// The silos run in strict mode (<c>TaskFlow__PersistBeforeDispatch=true</c>): a step is dispatched only after everything
    /// before it is durable, and a linear chain has one step in flight at a time. So after the kill at most one step per run
    /// can run again (the one RUNNING at the kill: re-dispatched with the same execution id by the resumed flow, or by the
    /// flow when its executor's silo died). The test asserts: no step ran more than twice; at most one step per run ran
    /// twice; and each re-executed step had first started before the kill. Total re-executions are thus at most the number
    /// of runs in flight at the kill (≤ 200). In the default group-commit mode, steps whose completion was not yet
    /// committed (up to <c>MaxCommitDelay</c>, 100 ms) may re-run as well; the other tests use that mode.
    /// </remarks>
    [SkippableFact]
    public async Task Kill9OneSiloMidRun_AllRunsSucceed_ReExecutionsOnlyWhatWasInFlight()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "kill", new Dictionary<string, string> { ["TaskFlow__PersistBeforeDispatch"] = "true" });
        await cluster.StartSilosAsync(3);

        var prefix = "kill";
        var cli = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500));
        await cli.WaitForOutputAsync("started 200", StartedTimeout, "starting 200 runs");
        var victim = cluster.Silos[1];
        // Taken once the process is gone (Kill waits for it): a step that first started before this was in flight at the kill.
        cluster.Kill(victim);
        var killedAt = DateTimeOffset.UtcNow;

        await cli.WaitForExitAsync(FinishTimeout, "waiting for 200 runs after the kill");
        var summary = SiloCluster.ReadSummary(cli);
        StressAssert.AllSucceeded(summary, Flows, "after kill -9 of one silo");

        var journal = cluster.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        var reExecuted = journal.ReExecuted();
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {reExecuted.Count} steps re-executed; " +
                         $"{reExecuted.Count(r => r.Runs.Any(e => e.Silo == "silo-2"))} of them had run on the killed silo");
        Assert.True(reExecuted.Count > 0 || journal.Entries.Count(e => e.At < killedAt) < Flows * StressAssert.Steps,
            "Nothing was in flight at the kill: the test did not test anything (make the runs slower).");
        var tooMany = reExecuted.Where(r => r.Runs.Count > 2).ToList();
        Assert.True(tooMany.Count == 0, $"Steps that ran more than twice: {string.Join(", ", tooMany.Take(10).Select(r => $"{r.Key} x{r.Runs.Count}"))}");
        var perFlow = reExecuted.GroupBy(r => r.Key.Flow).Where(g => g.Count() > 1).ToList();
        Assert.True(perFlow.Count == 0,
            $"Runs with more than one re-executed step (strict mode allows one): {string.Join("; ", perFlow.Take(10).Select(g => $"{g.Key}: {string.Join(",", g.Select(r => r.Key.Atom))}"))}");
        var notInFlight = reExecuted.Where(r => r.Runs[0].At > killedAt).ToList();
        Assert.True(notInFlight.Count == 0,
            $"Steps re-executed that first started after the kill at {killedAt:O}: {string.Join(", ", notInFlight.Take(10).Select(r => $"{r.Key} first at {r.Runs[0].At:O} on {r.Runs[0].Silo}"))}");
        Assert.True(reExecuted.Count <= Flows);
    }

    /// <summary>
    /// PostgreSQL stopped (<c>pg_ctl -m fast stop</c>) for a few seconds while 200 runs are in flight, then started: every run
    /// ends SUCCESS with value = start + 20 (none lost, none failed) and every step ran.
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
        var serverStarted = false;
        try
        {
            await TestEnvironment.PgCtlAsync(pgBin, pgData, "stop");
            output.WriteLine($"{DateTimeOffset.UtcNow:O} PostgreSQL stopped");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await TestEnvironment.PgCtlAsync(pgBin, pgData, "start");
            serverStarted = true;
            output.WriteLine($"{DateTimeOffset.UtcNow:O} PostgreSQL started");
        }

        Assert.True(serverStarted);
        await cli.WaitForExitAsync(FinishTimeout, "waiting for 200 runs after the PostgreSQL restart");
        StressAssert.AllSucceeded(SiloCluster.ReadSummary(cli), Flows, "after a PostgreSQL restart");
        var journal = cluster.ReadJournal();
        StressAssert.EveryStepRan(journal, prefix, Flows);
        output.WriteLine($"{journal.Entries.Count} executions for {Flows * StressAssert.Steps} steps; {journal.ReExecuted().Count} steps re-executed");
        Assert.All(cluster.Silos, s => Assert.False(s.Process.HasExited, $"{s.Process.Name} exited during the database outage.{Environment.NewLine}{s.Process.Output(60)}"));
    }

    /// <summary>
    /// All 3 silos killed while 200 runs are in flight, then 3 new silo processes started: every unfinished run finishes
    /// without any client calling it (woken by its Orleans reminder), then all 200 are SUCCESS with value = start + 20.
    /// </summary>
    /// <remarks>
    /// The restarted silos are a new deployment: same ServiceId (flows and reminders are keyed by it), new ClusterId, so
    /// they need not first vote the 3 dead silos out of the membership table (with the same ClusterId, joining waited on
    /// them and a silo took over a minute to start). The client only starts the runs (<c>--start-only</c>) and exits before the kill. After the restart the test watches the
    /// journals, calling no flow, until every run's last step has executed: the resume reminder (period 1 minute) must wake
    /// each one within <see cref="ReminderWait"/>. Only then a second client process collects the outcomes.
    /// </remarks>
    [SkippableFact]
    public async Task WholeClusterKilledAndRestarted_EveryUnfinishedRunFinishesByItself()
    {
        var connectionString = TestEnvironment.RequirePostgres();
        using var cluster = new SiloCluster(output, connectionString, "restart");
        await cluster.StartSilosAsync(3);

        var prefix = "rs";
        var starter = cluster.StartCli(SiloCluster.StressArguments(prefix, Flows, slowMs: 500, "--start-only"));
        Assert.True(await starter.WaitForExitAsync(StartedTimeout, "starting 200 runs") == 0, starter.Output(60));
        foreach (var silo in cluster.Silos.ToList())
        {
            cluster.Kill(silo);
        }

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
        StressAssert.EveryStepRan(cluster.ReadJournal(), prefix, Flows);
    }

    /// <summary>How long runs may wait for their reminder after a full restart: one period (1 minute) plus start-up slack.</summary>
    private static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(95);
}
