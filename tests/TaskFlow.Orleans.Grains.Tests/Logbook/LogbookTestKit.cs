using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Grains.Tests.Logbook;

/// <summary>
/// Plain helpers for the logbook and flow-shell unit tests: an Orleans serializer without a cluster, a small task catalog,
/// compiled flows, headers, run records and atom changes.
/// </summary>
internal static class LogbookTestKit
{
    private static readonly Lazy<LogbookSerializer> SharedSerializer = new(() => new LogbookSerializer(
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<global::Orleans.Serialization.Serializer>()));

    public static readonly DateTimeOffset Epoch = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static readonly Failure Boom = Failure.FromException(new InvalidOperationException("Boom"));

    public static readonly Failure Gotcha = Failure.FromException(new NotSupportedException("Gotcha"));

    /// <summary>A logbook serializer on the Orleans binary serializer.</summary>
    public static LogbookSerializer Serializer => SharedSerializer.Value;

    /// <summary>Tasks: <c>source</c> (no arguments, provides <c>x</c>), <c>sink</c> (requires <c>x</c>), <c>noop</c>.</summary>
    public static TestCatalog Catalog() => new TestCatalog()
        .Task("source", provides: ["x"])
        .Task("sink", required: ["x"])
        .Task("noop");

    /// <summary><c>source a → sink b → noop c</c>, linear.</summary>
    public static CompiledFlow Chain() => FlowCompiler.Compile(
        Flow.Linear("chain").Add("source", name: "a").Add("sink", name: "b").Add("noop", name: "c").Build(), Catalog(), []);

    /// <summary>A header for a compiled flow.</summary>
    public static RunHeader Header(CompiledFlow flow, FlowDefinition definition, string? factory = null) => new()
    {
        Definition = definition,
        FactoryName = factory,
        InputNames = [],
        Setup = flow.CreateStorageSetup(ImmutableDictionary<string, object?>.Empty),
        CreatedAt = Epoch,
        TaskNames = [.. flow.Atoms.Select(a => a.TaskName)],
        IsRetry = [.. flow.Atoms.Select(a => a.IsRetry)],
    };

    /// <summary>The chain flow's definition and its header.</summary>
    public static (CompiledFlow Flow, RunHeader Header) ChainWithHeader()
    {
        var definition = Flow.Linear("chain").Add("source", name: "a").Add("sink", name: "b").Add("noop", name: "c").Build();
        var flow = FlowCompiler.Compile(definition, Catalog(), []);
        return (flow, Header(flow, definition, factory: "chain-factory"));
    }

    public static RunRecord Run(FlowState state = FlowState.Running, long eventSequence = 0) =>
        new() { State = state, EventSequence = eventSequence, UpdatedAt = Epoch, Silo = "silo-1" };

    public static AtomRecord Record(AtomState state, int attempt = 1, Intention intention = Intention.Execute) =>
        new() { State = state, Attempt = attempt, Intention = intention };

    public static RunChanges Changes(RunRecord run, params AtomChange[] atoms) => new() { Run = run, Atoms = [.. atoms] };

    public static RunChanges Changes(params AtomChange[] atoms) => Changes(Run(), atoms);

    public static AtomChange Started(int atom, int attempt = 1) => new(atom, Record(AtomState.Running, attempt), AtomOutcome.None);

    public static AtomChange Executed(int atom, object? result)
    {
        var record = Record(AtomState.Success);
        record.HasResult = true;
        record.Result = result;
        return new AtomChange(atom, record, AtomOutcome.Executed);
    }

    public static AtomChange ExecuteFailed(int atom, Failure failure)
    {
        var record = Record(AtomState.Failure, intention: Intention.Revert);
        record.Failure = failure;
        return new AtomChange(atom, record, AtomOutcome.ExecuteFailed);
    }

    public static AtomChange RevertFailed(int atom, Failure failure)
    {
        var record = Record(AtomState.RevertFailure, intention: Intention.Revert);
        record.RevertFailure = failure;
        return new AtomChange(atom, record, AtomOutcome.RevertFailed);
    }

    /// <summary>Awaits a task with a generous bound, so a bug shows as a failure instead of a hung run.</summary>
    public static async Task<T> Within<T>(this Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Awaits a task with a generous bound, so a bug shows as a failure instead of a hung run.</summary>
    public static async Task Within(this Task task) => await task.WaitAsync(TimeSpan.FromSeconds(10));
}

/// <summary>A task catalog declared by each test: signatures, plus registered retry controllers.</summary>
internal sealed class TestCatalog : ITaskCatalog
{
    private readonly Dictionary<string, TaskSignature> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IRetryController> _retries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> TaskNames => _tasks.Keys;

    public IReadOnlyCollection<string> RetryControllerNames => _retries.Keys;

    public TestCatalog Task(string name, string[]? required = null, string[]? provides = null)
    {
        _tasks[name] = new TaskSignature(name, [.. required ?? []], [], [.. provides ?? []]);
        return this;
    }

    public TestCatalog RetryController(string name, IRetryController controller)
    {
        _retries[name] = controller;
        return this;
    }

    public bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature) =>
        _tasks.TryGetValue(taskName, out signature);

    public bool TryGetRetryController(string name, [NotNullWhen(true)] out IRetryController? controller) =>
        _retries.TryGetValue(name, out controller);
}
