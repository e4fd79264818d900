using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>An in-memory <see cref="ITaskCatalog"/>: task names mapped to signatures, declared fluently by each test.</summary>
internal sealed class FakeTaskCatalog : ITaskCatalog
{
    private readonly Dictionary<string, TaskSignature> _tasks = new(StringComparer.Ordinal);

    /// <summary>A catalog with <c>noop</c>: no arguments, provides nothing by default.</summary>
    public static FakeTaskCatalog WithNoop() => new FakeTaskCatalog().Task("noop");

    public IReadOnlyCollection<string> TaskNames => _tasks.Keys;

    public FakeTaskCatalog Task(string name, string[]? required = null, string[]? optional = null, string[]? provides = null)
    {
        _tasks[name] = new TaskSignature(name, [.. required ?? []], [.. optional ?? []], [.. provides ?? []]);
        return this;
    }

    public bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature) =>
        _tasks.TryGetValue(taskName, out signature);

    public CompiledFlow Compile(FlowBuilder flow, params string[] inputs) => FlowCompiler.Compile(flow.Build(), this, inputs);

    public FlowCompilationException CompileFails(FlowBuilder flow, params string[] inputs) =>
        Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(flow.Build(), this, inputs));

    public static ImmutableArray<string> Names(params string[] names) => [.. names];
}
