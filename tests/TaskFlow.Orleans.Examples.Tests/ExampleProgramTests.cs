using System.Diagnostics;

namespace TaskFlow.Orleans.Examples.Tests;

/// <summary>The examples program as a user runs it: a real process, its stdout, its exit code.</summary>
public sealed class ExampleProgramTests
{
    private static async Task<(int ExitCode, string Out, string Error)> RunProgramAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "taskflow-examples.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await output).ReplaceLineEndings("\n"), await error);
    }

    [Fact]
    [Trait("TaskFlow", "examples/simple_linear_pass.py")]
    public async Task Program_SimpleLinearPass_PrintsTaskFlowsOutputOnStdout_AndExitsZero()
    {
        var (exitCode, output, error) = await RunProgramAsync("simple_linear_pass");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {error}");
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", "simple_linear_pass.taskflow.txt")).ReplaceLineEndings("\n");
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task Program_UnknownExample_SaysWhichExistAndExitsTwo_WithoutAStackTrace()
    {
        var (exitCode, output, error) = await RunProgramAsync("no_such_example");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("No example is named 'no_such_example'. Run one of: simple_linear_pass,", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
