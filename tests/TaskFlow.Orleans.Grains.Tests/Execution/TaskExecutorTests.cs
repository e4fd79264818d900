using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Execution;
using TaskFlow.Orleans.Grains.Tasks;
using TaskFlow.Orleans.Grains.Tests.Tasks;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Tests.Execution;

public sealed class TaskExecutorTests : IDisposable
{
    private const string Silo = "S127.0.0.1:11111:1";

    private readonly TaskCatalog _catalog = new();
    private readonly RevertLog _revertLog = new();
    private readonly ServiceProvider _services;
    private readonly TaskExecutor _executor;

    public TaskExecutorTests()
    {
        _services = new ServiceCollection()
            .AddSerializer()
            .AddSingleton(_revertLog)
            .AddScoped<ScopedCounter>()
            .BuildServiceProvider();
        _executor = new TaskExecutor(_catalog, _services);
    }

    public void Dispose() => _services.Dispose();

    private static TaskRequest Request(string taskName, params (string Name, object? Value)[] arguments) => new()
    {
        FlowId = "flow-1",
        AtomName = "atom-1",
        TaskName = taskName,
        ExecutionId = "exec-1",
        Arguments = arguments.ToDictionary(a => a.Name, a => a.Value),
    };

    [Fact]
    public async Task ExecuteAsync_RegisteredTask_ReturnsSuccessWithValueAndSilo()
    {
        _catalog.AddTask<AddTask>();

        var result = await _executor.ExecuteAsync(Request("test.add", ("x", 2)), Silo);

        Assert.True(result.IsSuccess);
        Assert.Equal(12, result.Value);
        Assert.Equal(Silo, result.RanOn);
    }

    [Fact]
    public async Task ExecuteAsync_SameExecutionIdWhileItRuns_JoinsTheRunningExecution_TaskRunsOnce()
    {
        var runs = 0;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _catalog.AddTask("test.held", async () =>
        {
            var run = Interlocked.Increment(ref runs);
            entered.TrySetResult();
            await release.Task;
            return run;
        });

        // Two engines of one run (a duplicate activation) dispatch the same attempt: same execution id.
        var first = _executor.ExecuteAsync(Request("test.held"), Silo);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = _executor.ExecuteAsync(Request("test.held"), Silo);
        release.SetResult();

        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, runs);
        Assert.All(results, result => Assert.Equal(1, result.Value));

        // Once it has ended, the same id runs again (a re-dispatch after a crash is TaskFlow's at-least-once).
        var again = await _executor.ExecuteAsync(Request("test.held"), Silo).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, again.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownTask_ReturnsTaskNotRegisteredFailure()
    {
        _catalog.AddTask<AddTask>();

        var result = await _executor.ExecuteAsync(Request("test.nope"), Silo);

        Assert.False(result.IsSuccess);
        Assert.Equal("TaskFlow.Orleans.TaskNotRegisteredException", result.Failure!.ExceptionTypeName);
        Assert.Contains("'test.nope'", result.Failure.Message);
        Assert.Contains(Silo, result.Failure.Message);
        Assert.Contains("test.add", result.Failure.Message);
        Assert.Contains("AddTask on every silo", result.Failure.Message);
        Assert.Equal(Silo, result.RanOn);
    }

    [Fact]
    public async Task ExecuteAsync_TaskThrows_ReturnsFailureInsteadOfThrowing()
    {
        _catalog.AddTask<ThrowingAsyncTask>();

        var result = await _executor.ExecuteAsync(Request("test.throws-async", ("x", 1)), Silo);

        Assert.True(result.Failure!.Is<InvalidOperationException>());
        Assert.Equal("cannot handle 1 later", result.Failure.Message);
    }

    [Fact]
    public async Task ExecuteAsync_BadArgument_ReturnsArgumentFailure()
    {
        _catalog.AddTask<AddTask>();

        var result = await _executor.ExecuteAsync(Request("test.add"), Silo);

        Assert.True(result.Failure!.Is<ArgumentException>());
        Assert.Contains("requires argument 'x'", result.Failure.Message);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileRunning_ReturnsCancellationFailure()
    {
        _catalog.AddTask("wait", async (CancellationToken cancellationToken) => await Task.Delay(Timeout.Infinite, cancellationToken));
        using var cancellation = new CancellationTokenSource();

        var pending = _executor.ExecuteAsync(Request("wait"), Silo, cancellation.Token);
        await cancellation.CancelAsync();
        var result = await pending;

        Assert.True(result.Failure!.Is<OperationCanceledException>());
    }

    [Fact]
    public async Task ExecuteAsync_TaskClass_GetsFreshScopePerCall()
    {
        _catalog.AddTask<ScopedCounterTask>();

        var first = await _executor.ExecuteAsync(Request(nameof(ScopedCounterTask)), Silo);
        var second = await _executor.ExecuteAsync(Request(nameof(ScopedCounterTask)), Silo);

        Assert.Equal(1, first.Value);
        Assert.Equal(1, second.Value);
    }

    [Fact]
    public async Task ExecuteAsync_ResultOrleansCannotSerialize_ReturnsFailureNamingTheType()
    {
        _catalog.AddTask("plain", () => new NotSerializable());

        var result = await _executor.ExecuteAsync(Request("plain"), Silo);

        Assert.Equal("TaskFlow.Orleans.ResultNotSerializableException", result.Failure!.ExceptionTypeName);
        Assert.Contains(nameof(NotSerializable), result.Failure.Message);
        Assert.Contains("[GenerateSerializer]", result.Failure.Message);
    }

    [Fact]
    public async Task ExecuteAsync_SerializableCollectionResult_Succeeds()
    {
        _catalog.AddTask("map", () => new Dictionary<string, int> { ["a"] = 1 });

        var result = await _executor.ExecuteAsync(Request("map"), Silo);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task RevertAsync_ExecuteSucceeded_PassesResultAsOutcome()
    {
        _catalog.AddTask<LeaseTask>();
        var request = new RevertRequest
        {
            FlowId = "flow-1",
            AtomName = "lease",
            TaskName = "test.lease",
            ExecutionId = "exec-1",
            Arguments = new() { ["network"] = "net", ["reason"] = "later atom failed" },
            Result = "net-lease",
            FlowFailures = new() { ["boot"] = Failure.Create("Boom", "no capacity") },
        };

        var result = await _executor.RevertAsync(request, Silo);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Equal(["released net-lease on net because later atom failed (attempts 1)", "failures: boot"], _revertLog.Entries);
    }

    [Fact]
    public async Task RevertAsync_ExecuteFailed_PassesFailureAsOutcome()
    {
        _catalog.AddTask<LeaseTask>();
        var failure = Failure.Create("Timeout", "took too long");
        var request = new RevertRequest
        {
            FlowId = "flow-1",
            AtomName = "lease",
            TaskName = "test.lease",
            ExecutionId = "exec-1",
            Arguments = new() { ["network"] = "net", ["reason"] = "r" },
            ExecuteFailure = failure,
            FlowFailures = new() { ["lease"] = failure },
        };

        var result = await _executor.RevertAsync(request, Silo);

        Assert.True(result.IsSuccess);
        Assert.Equal("nothing to release on net: took too long", _revertLog.Entries[0]);
    }

    [Fact]
    public async Task RevertAsync_RevertThrows_ReturnsFailure()
    {
        _catalog.AddTask("fragile", () => 1, (TaskOutcome<int> outcome) => { throw new IOException($"cannot undo {outcome.Value}"); });
        var request = new RevertRequest
        {
            FlowId = "f",
            AtomName = "a",
            TaskName = "fragile",
            ExecutionId = "e",
            Arguments = [],
            Result = 1,
            FlowFailures = [],
        };

        var result = await _executor.RevertAsync(request, Silo);

        Assert.True(result.Failure!.Is<IOException>());
        Assert.Equal("cannot undo 1", result.Failure.Message);
    }

    [Fact]
    public async Task RevertAsync_UnknownTask_ReturnsTaskNotRegisteredFailure()
    {
        var request = new RevertRequest
        {
            FlowId = "f",
            AtomName = "a",
            TaskName = "ghost",
            ExecutionId = "e",
            Arguments = [],
            FlowFailures = [],
        };

        var result = await _executor.RevertAsync(request, Silo);

        Assert.True(result.Failure!.Is<TaskNotRegisteredException>());
        Assert.Contains("Registered tasks: none", result.Failure.Message);
    }

    public sealed class ScopedCounter
    {
        public int Count { get; set; }
    }

    public sealed class ScopedCounterTask(ScopedCounter counter) : FlowTask
    {
        public int Execute() => ++counter.Count;
    }

    public sealed class NotSerializable
    {
        public int Value { get; set; }
    }
}
