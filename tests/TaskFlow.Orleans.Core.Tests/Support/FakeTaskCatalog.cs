using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>
/// An in-memory <see cref="ITaskCatalog"/>: task names mapped to signatures (and, for the engine driver, what they do), plus
/// registered retry controllers and link deciders, declared fluently by each test.
/// </summary>
internal sealed class FakeTaskCatalog : ITaskCatalog
{
    private readonly Dictionary<string, TaskSignature> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IRetryController> _retries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ILinkDecider> _deciders = new(StringComparer.Ordinal);

    /// <summary>A catalog with <c>noop</c>: no arguments, provides nothing by default.</summary>
    public static FakeTaskCatalog WithNoop() => new FakeTaskCatalog().Task("noop");

    public IReadOnlyCollection<string> TaskNames => _tasks.Keys;

    public IReadOnlyCollection<string> RetryControllerNames => _retries.Keys;

    public IReadOnlyCollection<string> DeciderNames => _deciders.Keys;

    /// <summary>What each task's execute does, by task name (throwing is a failure); absent: returns null.</summary>
    public Dictionary<string, Func<IReadOnlyDictionary<string, object?>, object?>> Executes { get; } = new(StringComparer.Ordinal);

    /// <summary>What each task's revert does, by task name (throwing is a revert failure); absent: succeeds.</summary>
    public Dictionary<string, Action<IReadOnlyDictionary<string, object?>>> Reverts { get; } = new(StringComparer.Ordinal);

    public FakeTaskCatalog Task(string name, string[]? required = null, string[]? optional = null, string[]? provides = null,
        Func<IReadOnlyDictionary<string, object?>, object?>? execute = null, Action<IReadOnlyDictionary<string, object?>>? revert = null,
        bool takesRequiredValues = false)
    {
        _tasks[name] = new TaskSignature(name, [.. required ?? []], [.. optional ?? []], [.. provides ?? []]) { TakesRequiredValues = takesRequiredValues };
        if (execute is not null)
        {
            Executes[name] = execute;
        }

        if (revert is not null)
        {
            Reverts[name] = revert;
        }

        return this;
    }

    public FakeTaskCatalog RetryController(string name, IRetryController controller)
    {
        _retries[name] = controller;
        return this;
    }

    public FakeTaskCatalog Decider(string name, Func<IReadOnlyDictionary<string, object?>, bool> decide) =>
        DeciderWithContext(name, context => decide(context.History));

    public FakeTaskCatalog DeciderWithContext(string name, Func<DeciderContext, bool> decide)
    {
        _deciders[name] = new FuncDecider(decide);
        return this;
    }

    public bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature) =>
        _tasks.TryGetValue(taskName, out signature);

    public bool TryGetRetryController(string name, [NotNullWhen(true)] out IRetryController? controller) =>
        _retries.TryGetValue(name, out controller);

    public bool TryGetDecider(string name, [NotNullWhen(true)] out ILinkDecider? decider) =>
        _deciders.TryGetValue(name, out decider);

    public CompiledFlow Compile(FlowBuilder flow, params string[] inputs) => FlowCompiler.Compile(flow.Build(), this, inputs);

    public CompiledFlow Compile(FlowDefinition flow, params string[] inputs) => FlowCompiler.Compile(flow, this, inputs);

    public FlowCompilationException CompileFails(FlowBuilder flow, params string[] inputs) =>
        Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(flow.Build(), this, inputs));

    /// <summary>Compiles the flow with these inputs and drives it with this catalog's task behaviours.</summary>
    public EngineDriver Drive(FlowBuilder flow, IReadOnlyDictionary<string, object?>? inputs = null, FlowEngineOptions? options = null) =>
        Drive(flow.Build(options), inputs);

    public EngineDriver Drive(FlowDefinition flow, IReadOnlyDictionary<string, object?>? inputs = null)
    {
        inputs ??= new Dictionary<string, object?>();
        return new EngineDriver(FlowCompiler.Compile(flow, this, inputs.Keys), this, inputs);
    }

    public static ImmutableArray<string> Names(params string[] names) => [.. names];

    private sealed class FuncDecider(Func<DeciderContext, bool> decide) : ILinkDecider
    {
        public bool Decide(DeciderContext context) => decide(context);
    }
}
