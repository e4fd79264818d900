using System.Collections.Immutable;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>One atom of a compiled flow (a task or a retry controller), with its id, provides and resolved argument bindings.</summary>
/// <param name="Id">Stable id within the flow: the atom's position in definition order (a pattern's retry comes before the pattern's items).</param>
/// <param name="Name">The atom's name.</param>
/// <param name="TaskName">The registered task it runs; for a retry, <c>retry:&lt;kind&gt;</c> (retries never go to executors).</param>
/// <param name="Provides">Names its result is stored under.</param>
/// <param name="Arguments">Where each argument comes from.</param>
/// <param name="Injected">Values injected for this atom only.</param>
/// <param name="Priority">Dispatch priority among atoms ready at once.</param>
/// <param name="FlowName">The pattern that directly contains it (for a retry, the pattern it controls).</param>
internal sealed record CompiledAtom(
    int Id,
    string Name,
    string TaskName,
    ImmutableArray<string> Provides,
    ImmutableArray<ArgumentBinding> Arguments,
    ImmutableDictionary<string, object?> Injected,
    int Priority,
    string FlowName)
{
    /// <summary>Whether it is a task or a retry controller.</summary>
    public AtomKind Kind { get; init; }

    /// <summary>For a retry: its controller; otherwise <see langword="null"/>.</summary>
    public CompiledRetry? Retry { get; init; }

    /// <summary>The capability a silo must advertise to run this atom's task, or <see langword="null"/> for any silo.</summary>
    public string? Capability { get; init; }

    /// <summary>How long one Execute may run before it is cancelled and fails with a timeout; <see langword="null"/> for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether it is a retry controller.</summary>
    public bool IsRetry => Kind == AtomKind.Retry;
}
