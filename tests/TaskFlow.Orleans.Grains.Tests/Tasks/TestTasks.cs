using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Tests.Tasks;

// Task classes used by the catalog and invoker tests. Each one exercises one shape of Execute/Revert.

[TaskName("test.add")]
[DefaultProvides("sum")]
public sealed class AddTask : FlowTask
{
    public int Execute(int x, int y = 10) => x + y;
}

[TaskName("test.async-greet")]
public sealed class AsyncGreetTask : FlowTask
{
    public async Task<string> ExecuteAsync(string name, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return $"hello {name}";
    }
}

[TaskName("test.value-task")]
public sealed class ValueTaskTask : FlowTask
{
    public ValueTask<long> ExecuteAsync(long value) => ValueTask.FromResult(value * 2);
}

[TaskName("test.slow-value-task")]
public sealed class SlowValueTaskTask : FlowTask
{
    public async ValueTask<int> ExecuteAsync(int value)
    {
        await Task.Delay(1);
        return value + 1;
    }
}

public sealed class Recorder
{
    public List<string> Calls { get; } = [];
}

[TaskName("test.void")]
public sealed class VoidTask(Recorder recorder) : FlowTask
{
    public void Execute(string message) => recorder.Calls.Add(message);
}

[TaskName("test.plain-task")]
public sealed class PlainTaskTask(Recorder recorder) : FlowTask
{
    public async Task ExecuteAsync(string message)
    {
        await Task.Yield();
        recorder.Calls.Add(message);
    }
}

[TaskName("test.context")]
public sealed class ContextTask : FlowTask
{
    public string Execute() => $"{Context.FlowId}/{Context.AtomName}/{Context.ExecutionId}";
}

[TaskName("test.throws")]
public sealed class ThrowingTask : FlowTask
{
    public int Execute(int x) => throw new InvalidOperationException($"cannot handle {x}");
}

[TaskName("test.throws-async")]
public sealed class ThrowingAsyncTask : FlowTask
{
    public async Task<int> ExecuteAsync(int x)
    {
        await Task.Yield();
        throw new InvalidOperationException($"cannot handle {x} later");
    }
}

public sealed class RevertLog
{
    public List<string> Entries { get; } = [];
}

/// <summary>Allocates a lease; revert releases it and records what it saw.</summary>
[TaskName("test.lease")]
public sealed class LeaseTask(RevertLog log) : FlowTask
{
    public Task<string> ExecuteAsync(string network, CancellationToken cancellationToken) =>
        Task.FromResult($"{network}-lease");

    public Task RevertAsync(
        string network,
        TaskOutcome<string> outcome,
        IReadOnlyDictionary<string, Failure> flowFailures,
        string reason,
        int attempts = 1,
        CancellationToken cancellationToken = default)
    {
        log.Entries.Add(outcome.IsSuccess
            ? $"released {outcome.Value} on {network} because {reason} (attempts {attempts})"
            : $"nothing to release on {network}: {outcome.Failure!.Message}");
        log.Entries.Add($"failures: {string.Join(",", flowFailures.Keys.Order())}");
        return Task.CompletedTask;
    }
}

/// <summary>Execute has an optional parameter that revert requires.</summary>
[TaskName("test.optional-then-required")]
public sealed class OptionalThenRequiredTask : FlowTask
{
    public int Execute(int size, string zone = "a") => size;

    public void Revert(string zone, int size) { }
}

public sealed class DisposableTask(Recorder recorder) : FlowTask, IDisposable
{
    public int Execute(int x) => x;

    public void Dispose() => recorder.Calls.Add("disposed");
}

public enum Color
{
    Red,
    Green,
    Blue,
}

[TaskName("test.kinds")]
public sealed class KindsTask : FlowTask
{
    public string Execute(Color color = Color.Green, DateTime when = default, decimal amount = 1.5m, int? limit = null) =>
        $"{color}|{when:yyyy}|{amount}|{limit?.ToString() ?? "none"}";
}

/// <summary>An extension method registered as a delegate task closed over its first argument.</summary>
internal static class StringTaskExtensions
{
    public static string WithSuffix(this string value, string suffix) => value + suffix;
}

// Invalid task classes: each must be rejected at registration.

public sealed class NoExecuteTask : FlowTask
{
    public int Run(int x) => x;
}

public sealed class OverloadedTask : FlowTask
{
    public int Execute(int x) => x;

    public int Execute(int x, int y) => x + y;
}

public sealed class BothNamesTask : FlowTask
{
    public int Execute(int x) => x;

    public Task<int> ExecuteAsync(int x) => Task.FromResult(x);
}

public sealed class RefParameterTask : FlowTask
{
    public void Execute(ref int x) => x++;
}

public sealed class OutParameterTask : FlowTask
{
    public void Execute(int x, out int y) => y = x;
}

public sealed class MismatchedOutcomeTask : FlowTask
{
    public Task<int> ExecuteAsync(int x) => Task.FromResult(x);

    public void Revert(TaskOutcome<string> outcome) { }
}

public sealed class OutcomeInExecuteTask : FlowTask
{
    public int Execute(TaskOutcome<int> outcome) => outcome.Value;
}

public sealed class TwoRevertsTask : FlowTask
{
    public int Execute(int x) => x;

    public void Revert(int x) { }

    public Task RevertAsync(int x) => Task.CompletedTask;
}

public abstract class AbstractTask : FlowTask
{
    public int Execute(int x) => x;
}

public sealed class AsyncVoidTask : FlowTask
{
    public async void Execute(int x) => await Task.Yield();
}

[TaskName("test.add")]
public sealed class ImpostorAddTask : FlowTask
{
    public int Execute(int a) => a;
}

public sealed class RequiredValuesWrongTypeTask : FlowTask
{
    public int Execute([RequiredValues] Dictionary<string, int> values) => values.Count;
}

public sealed class RequiredValuesTwiceTask : FlowTask
{
    public int Execute([RequiredValues] IReadOnlyDictionary<string, object?> a, [RequiredValues] IReadOnlyDictionary<string, object?> b) => a.Count + b.Count;
}
