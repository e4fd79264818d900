using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// <c>taskflow purge</c> as users run it, against one SQLite silo process: bad input is refused before connecting with a
/// message naming it and no stack trace; one run is purged by id; finished runs are counted by a dry run (nothing deleted)
/// and purged in bulk by age.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed partial class CliPurgeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);



    public static TheoryData<string[], string> BadInput => new()
    {
        { ["purge"], "Say what to purge: a run id (taskflow purge <flow-id>) or --finished-before" },
        { ["purge", "web-01", "--finished-before", "7d"], "Give a run id or --finished-before, not both" },
        { ["purge", "web-01", "--dry-run"], "--state and --dry-run go with --finished-before" },
        { ["purge", "--finished-before", "7x"], "--finished-before '7x' is neither a date nor an age" },
        { ["purge", "--finished-before", "7d", "--state", "SUSPENDED"], "SUSPENDED is not a finished state" },
        { ["purge", "--finished-before", "7d", "--state", "DONE"], "--state 'DONE' is not a flow state" },
        { ["purge", "--finished-before", "7d", "--batch-size", "0"], $"it must be from 1 to 10000" },
        { ["purge", "bad\tid"], "has a control character (U+0009) at position 3" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Purge_BadInput_FailsNamingItBeforeConnecting(string[] arguments, string message)
    {
        using var silo = new SingleSilo(output, "cli-purge-bad"); // not started: bad input is refused before anything connects

        var cli = silo.StartCli(arguments);

        Assert.Equal(2, await cli.WaitForExitAsync(CliTimeout, $"refusing '{string.Join(' ', arguments)}'"));
        Assert.Contains(message, cli.Text(), StringComparison.Ordinal);
        cli.AssertNoStackTrace();
    }

    [Fact]
    public async Task Purge_OneByIdThenTheRestByAge_DeletesFinishedRunsAndADryRunDeletesNothing()
    {
        using var silo = new SingleSilo(output, "cli-purge");
        await silo.StartAsync();
        foreach (var id in new[] { "web-01", "web-02", "web-03" })
        {
            var run = silo.StartCli("run", "boot-server", "--input", "network=tenant-a", "--input", "golden-image=ubuntu-24.04", "--flow-id", id);
            Assert.True(await run.WaitForExitAsync(CliTimeout, $"running {id}") == 0, run.Output(60));
        }

        var one = silo.StartCli("purge", "web-01");
        Assert.True(await one.WaitForExitAsync(CliTimeout, "purging web-01") == 0, one.Output(60));
        Assert.Contains("Purged run web-01.", one.Text(), StringComparison.Ordinal);
        var gone = silo.StartCli("show", "web-01");
        Assert.NotEqual(0, await gone.WaitForExitAsync(CliTimeout, "showing the purged web-01"));
        Assert.Contains("No flow with id 'web-01' exists", gone.Text(), StringComparison.Ordinal);

        // "0s": every run that finished before now.
        var dryRun = silo.StartCli("purge", "--finished-before", "0s", "--dry-run");
        Assert.True(await dryRun.WaitForExitAsync(CliTimeout, "counting finished runs") == 0, dryRun.Output(60));
        Assert.Contains("Would purge 2 finished run(s)", dryRun.Text(), StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was deleted", dryRun.Text(), StringComparison.Ordinal);
        var kept = silo.StartCli("show", "web-02");
        Assert.True(await kept.WaitForExitAsync(CliTimeout, "showing web-02 after the dry run") == 0, kept.Output(60));

        // Runs that finished a week ago or more: none yet.
        var week = silo.StartCli("purge", "--finished-before", "7d");
        Assert.True(await week.WaitForExitAsync(CliTimeout, "purging runs older than a week") == 0, week.Output(60));
        Assert.Contains("Purged 0 finished run(s)", week.Text(), StringComparison.Ordinal);

        var bulk = silo.StartCli("purge", "--finished-before", "0s", "--state", "success", "--batch-size", "1");
        Assert.True(await bulk.WaitForExitAsync(CliTimeout, "purging finished runs") == 0, bulk.Output(60));
        Assert.Contains("Purged 2 SUCCESS run(s)", bulk.Text(), StringComparison.Ordinal);
        foreach (var id in new[] { "web-02", "web-03" })
        {
            var show = silo.StartCli("show", id);
            Assert.NotEqual(0, await show.WaitForExitAsync(CliTimeout, $"showing the purged {id}"));
            Assert.Contains($"No flow with id '{id}' exists", show.Text(), StringComparison.Ordinal);
        }

        var again = silo.StartCli("purge", "web-02");
        Assert.Equal(4, await again.WaitForExitAsync(CliTimeout, "purging web-02 again")); // ExitCodes.NotFound
        Assert.Contains("No run 'web-02' exists; nothing was purged.", again.Text(), StringComparison.Ordinal);
        again.AssertNoStackTrace();
    }

}
