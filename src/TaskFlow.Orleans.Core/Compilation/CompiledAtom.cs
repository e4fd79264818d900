using System.Collections.Immutable;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>One task atom of a compiled flow, with its id, provides and resolved argument bindings.</summary>
/// <param name="Id">Stable id within the flow: the atom's position in definition order.</param>
/// <param name="Name">The atom's name.</param>
/// <param name="TaskName">The registered task it runs.</param>
/// <param name="Provides">Names its result is stored under.</param>
/// <param name="Arguments">Where each argument comes from.</param>
/// <param name="Injected">Values injected for this atom only.</param>
/// <param name="Priority">Dispatch priority among atoms ready at once.</param>
/// <param name="FlowName">The pattern that directly contains it.</param>
public sealed record CompiledAtom(
    int Id,
    string Name,
    string TaskName,
    ImmutableArray<string> Provides,
    ImmutableArray<ArgumentBinding> Arguments,
    ImmutableDictionary<string, object?> Injected,
    int Priority,
    string FlowName);
