using System.Collections.Immutable;

namespace TaskFlow.Orleans.Graphs;

/// <summary>One atom of a <see cref="FlowGraph"/>: a task, or a pattern's retry controller.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.GraphNode")]
public sealed record GraphNode
{
    /// <summary>The atom's stable id in its flow (as in <c>AtomSnapshot.Id</c>).</summary>
    [Id(0)] public required int AtomId { get; init; }

    /// <summary>The atom's name, unique in the flow.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>The registered task it runs; for a retry controller, <c>retry:&lt;kind&gt;</c>.</summary>
    [Id(2)] public required string TaskName { get; init; }

    /// <summary>Whether it is a retry controller rather than a task.</summary>
    [Id(3)] public bool IsRetry { get; init; }

    /// <summary>The name of the innermost pattern holding it; for a retry controller, the pattern it controls.</summary>
    [Id(4)] public required string Cluster { get; init; }

    /// <summary>The stored names its arguments are read from (flow inputs and other atoms' results), in argument order;
    /// injected values and optional arguments left to their defaults are not listed.</summary>
    [Id(5)] public ImmutableArray<string> Requires { get; init; } = [];

    /// <summary>The names its result is stored under.</summary>
    [Id(6)] public ImmutableArray<string> Provides { get; init; } = [];
}
