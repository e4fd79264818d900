using System.Diagnostics;

namespace TaskFlow.Orleans.Examples.Tests;

/// <summary>
/// TaskFlow's resume_volume_create and persistence_example as a user runs them: real processes sharing one SQLite file; one
/// is killed mid-run (kill -9, not Ctrl-C) and the next, given the tracking id, finishes the run without running again what
/// had finished.
/// </summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), $"taskflow-examples-test-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_store) + "*"))
        {
            File.Delete(file);
        }
    }

    private Process Start(string[] args, double pauseSeconds = 0.05)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "taskflow-examples.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TASKFLOW_EXAMPLES_DB"] = _store;
        start.Environment["TASKFLOW_EXAMPLES_PAUSE"] = pauseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }

    private async Task<(int ExitCode, string Out)> RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).ReplaceLineEndings("\n"));
    }

    [Fact]
    [Trait("TaskFlow", "examples/resume_volume_create.py")]
    public async Task ResumeVolumeCreate_KilledWhilePreparingVolumes_ResumedById_FinishesWithoutRunningFinishedTasksAgain()
    {
        var first = new List<string>();
        var dusting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? trackingId = null;
        // Long pauses: the kill lands while PrepareVolumes (and the nap) are running, however slow the machine.
        using (var process = Start(["resume_volume_create"], pauseSeconds: 60))
        {
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is not { } text)
                {
                    return;
                }

                lock (first)
                {
                    first.Add(text);
                }

                if (text.StartsWith("!! Your tracking id is: '", StringComparison.Ordinal))
                {
                    trackingId = text["!! Your tracking id is: '".Length..^1];
                }

                if (text.StartsWith("Dusting off your hard drive", StringComparison.Ordinal))
                {
                    dusting.TrySetResult();
                }
            };
            process.BeginOutputReadLine();
            _ = process.StandardError.ReadToEndAsync();
            await dusting.Task.WaitAsync(TimeSpan.FromSeconds(60));
            process.Kill(entireProcessTree: true); // the run is mid-flight: PrepareVolumes is RUNNING
            await process.WaitForExitAsync();
        }

        Assert.NotNull(trackingId);
        lock (first)
        {
            Assert.Contains("Starting volume create", first);
            Assert.DoesNotContain("Finished volume create", first);
        }

        var (exitCode, second) = await RunToEndAsync("resume_volume_create", trackingId!);

        Assert.Equal(0, exitCode);
        // What finished before the kill was recorded before the flow moved on, so it does not run again; the tasks that were
        // running when the process died (PrepareVolumes, and the nap beside it) run again (at least once), then the flow
        // finishes.
        Assert.DoesNotContain("Starting volume create", second, StringComparison.Ordinal);
        Assert.Contains("Dusting off your hard drive", second, StringComparison.Ordinal);
        Assert.EndsWith("----------------------\nFinished volume create\n----------------------\n", second, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("TaskFlow", "examples/persistence_example.py")]
    public async Task PersistenceExample_FailsFirst_ThenSucceeds_ThenFailsAgainOnceTheStoreIsEmptied()
    {
        var (firstExit, first) = await RunToEndAsync("persistence_example");
        var (secondExit, second) = await RunToEndAsync("persistence_example");
        var (thirdExit, third) = await RunToEndAsync("persistence_example");

        Assert.Equal([0, 0, 0], new[] { firstExit, secondExit, thirdExit });
        const string Hi = "TaskFlow.Orleans.Examples.PersistenceExample.HiTask";
        const string Bye = "TaskFlow.Orleans.Examples.PersistenceExample.ByeTask";
        var failed =
            "-------\nRunning\n-------\nHi!\nWhooops, said hi too early, take that back!\n" +
            "Flow failed: System.InvalidOperationException: Fail!\n-------------\nBook contents\n-------------\n" +
            $"Flow 'hello-world': REVERTED\n - {Hi}: REVERTED\n - {Bye}: REVERTED (System.InvalidOperationException: Fail!)\n";
        Assert.Equal(failed, first);
        Assert.Equal(
            "-------\nRunning\n-------\nHi!\nBye!\n-------------\nBook contents\n-------------\n" +
            $"Flow 'hello-world': SUCCESS\n - {Hi}: SUCCESS\n - {Bye}: SUCCESS\n",
            second);
        Assert.Equal(failed, third);
    }
}
