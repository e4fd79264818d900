using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// <c>taskflow run</c> following a run whose only silo is killed: when a silo comes back on the same gateway the tool
/// re-attaches by the run's id and follows it to its end (exit code 0); when none does, it gives up after
/// <c>--reattach-timeout</c> with one line naming the run and how to check it (exit code 3), instead of hanging for a minute
/// and crashing. Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed class CliReattachTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_SiloKilledMidRun_ReattachesWhenOneIsBack_AndGivesUpWithALineWhenNone()
    {
        using var silo = new SingleSilo(output, "cli-reattach");
        await silo.StartAsync();

        // Every fifth step of the stress chain waits slow-ms: the kill lands while step-04 waits.
        var back = StartSlowRun(silo, "back", reattachSeconds: 90);
        await back.Cli.WaitForOutputAsync("step-04        RUNNING", CliTimeout, "step-04 started");
        silo.Kill();
        await silo.StartAsync();

        Assert.True(await back.Cli.WaitForExitAsync(CliTimeout, "following the run after the restart") == 0, back.Cli.Output(80));
        Assert.Contains($"Flow stress-chain ({back.Id}) ended SUCCESS.", back.Cli.Text(), StringComparison.Ordinal);
        back.Cli.AssertNoStackTraceLines();

        var gone = StartSlowRun(silo, "gone", reattachSeconds: 3);
        await gone.Cli.WaitForOutputAsync("step-04        RUNNING", CliTimeout, "step-04 started");
        silo.Kill();

        Assert.Equal(3, await gone.Cli.WaitForExitAsync(CliTimeout, "giving up on the killed silo"));
        var text = gone.Cli.Text();
        output.WriteLine(gone.Cli.Output(20));
        Assert.Contains($"error: Lost contact with run '{gone.Id}' and could not re-attach within 3 s", text, StringComparison.Ordinal);
        Assert.Contains($"check it with 'taskflow status {gone.Id}'", text, StringComparison.Ordinal);
        gone.Cli.AssertNoStackTraceLines();
    }

    private static (string Id, ManagedProcess Cli) StartSlowRun(SingleSilo silo, string name, int reattachSeconds)
    {
        var id = $"{name}-{Guid.NewGuid():N}"[..12];
        var cli = silo.StartCli("run", "stress-chain", "--flow-id", id, "--input", "start=0", "--input", "slow-ms=2500",
            "--reattach-timeout", reattachSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (id, cli);
    }
}
