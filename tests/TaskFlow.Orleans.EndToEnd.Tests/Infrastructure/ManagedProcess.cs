using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>A child process (<c>dotnet some.dll</c>) whose output is captured; killed with its tree when disposed.</summary>
public sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ManagedProcess(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Keep the child's console plain: no colours or cursor tricks in captured output.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, "out");
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, "err");
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;
    }

    public string Name { get; }

    public int Id { get; }

    public bool HasExited => _exited.Task.IsCompleted;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public IEnumerable<string> StandardOutput => Lines.Where(l => l.StartsWith("out| ", StringComparison.Ordinal)).Select(l => l[5..]);

    /// <summary>Waits until a line of output contains <paramref name="text"/>; fails if the process exits first or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (HasExited)
            {
                Assert.Fail($"{Name} exited with code {_process.ExitCode} before {what}.{Environment.NewLine}{Output()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{Name}: {what} did not happen within {timeout.TotalSeconds:0} s (no output line with '{text}').{Environment.NewLine}{Output()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to exit; fails with its output if it does not within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, string what)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            Assert.Fail($"{Name}: {what} did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Output(80)}");
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary><c>kill -9</c>: on Linux, <see cref="Process.Kill(bool)"/> sends SIGKILL.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Every line of the processes' output that names one of <paramref name="words"/> (a run id, say), with the line before
    /// it (a log entry's level and category), prefixed by the process's name: what the silos said about the runs a check
    /// found wrong.
    /// </summary>
    public static string LinesAbout(IEnumerable<ManagedProcess> processes, IReadOnlyCollection<string> words, int max = 80)
    {
        var found = new List<string>();
        foreach (var process in processes)
        {
            var lines = process.Lines;
            for (var i = 0; i < lines.Count; i++)
            {
                if (words.Any(w => lines[i].Contains(w, StringComparison.Ordinal)))
                {
                    if (i > 0 && !words.Any(w => lines[i - 1].Contains(w, StringComparison.Ordinal)))
                    {
                        found.Add($"{process.Name}: {lines[i - 1]}");
                    }

                    found.Add($"{process.Name}: {lines[i]}");
                }
            }
        }

        return found.Count == 0
            ? $"(no output line names {string.Join(", ", words)})"
            : $"what the processes said about {string.Join(", ", words)} ({Math.Min(max, found.Count)} of {found.Count} lines):{Environment.NewLine}" +
              string.Join(Environment.NewLine, found.Take(max));
    }

    /// <summary>The directory named by <c>TASKFLOW_E2E_OUTPUT_DIR</c>, if set: every process's whole output is kept there.</summary>
    public const string OutputDirectoryVariable = "TASKFLOW_E2E_OUTPUT_DIR";

    /// <summary>Writes the whole output to <c>{TASKFLOW_E2E_OUTPUT_DIR}/{test}-{name}.log</c> when that variable is set (the
    /// test output keeps only the last lines of each process).</summary>
    public void SaveOutput(string test)
    {
        if (Environment.GetEnvironmentVariable(OutputDirectoryVariable) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            var name = string.Concat($"{test}-{Name}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
            File.WriteAllText(Path.Combine(directory, name + ".log"), Output(int.MaxValue));
        }
    }

    /// <summary>The captured output, the last <paramref name="tail"/> lines.</summary>
    public string Output(int tail = 200)
    {
        var lines = Lines;
        var builder = new StringBuilder($"--- {Name} (pid {Id}), last {Math.Min(tail, lines.Count)} of {lines.Count} lines ---{Environment.NewLine}");
        foreach (var line in lines.Skip(Math.Max(0, lines.Count - tail)))
        {
            builder.AppendLine(line);
        }

        return builder.ToString();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line, string stream)
    {
        if (line is not null)
        {
            _lines.Enqueue($"{stream}| {line}");
        }
    }

    /// <summary>Everything the process printed, on either stream, as one line (the console wraps long messages).</summary>
    public string Text() => System.Text.RegularExpressions.Regex.Replace(string.Join(" ", Lines.Select(line => line[5..])), @"\s+", " ");

    /// <summary>Fails when a line the process printed is a stack frame ("   at ...").</summary>
    public void AssertNoStackTraceLines() =>
        Assert.DoesNotContain(Lines, line => line[5..].StartsWith("   at ", StringComparison.Ordinal) || line.TrimStart().StartsWith("at ", StringComparison.Ordinal));

    /// <summary>Fails when the process printed a stack trace (a command-line tool must end with a message).</summary>
    public void AssertNoStackTrace() =>
        Assert.DoesNotContain(Lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.Contains("Exception:", StringComparison.Ordinal));
}
