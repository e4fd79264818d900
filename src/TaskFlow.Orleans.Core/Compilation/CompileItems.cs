using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>An item of the definition tree while it is being compiled.</summary>
internal abstract class CompileItem
{
    public required string Name { get; init; }

    public PatternItem? Parent { get; set; }

    public int IndexInParent { get; set; }

    /// <summary>Symbols this item needs from outside itself (TaskFlow's <c>requires</c>).</summary>
    public HashSet<string> Requires { get; } = new(StringComparer.Ordinal);

    /// <summary>Symbols this item provides to items after it.</summary>
    public HashSet<string> Provides { get; } = new(StringComparer.Ordinal);

    /// <summary>The execution-graph node where this item starts.</summary>
    public int Entry { get; set; }

    /// <summary>The execution-graph node where this item ends.</summary>
    public int Exit { get; set; }
}

/// <summary>An atom (a task, or a pattern's retry controller) while being compiled.</summary>
internal sealed class AtomItem : CompileItem
{
    /// <summary>The task use; for a retry, a stand-in carrying its name, provides, requires and rebind.</summary>
    public required AtomDefinition Definition { get; init; }

    /// <summary>For a retry controller: its definition; <see langword="null"/> for a task.</summary>
    public RetryDefinition? Retry { get; init; }

    /// <summary>Whether this atom is a retry controller (its <see cref="CompileItem.Parent"/> is the pattern it controls).</summary>
    public bool IsRetry => Retry is not null;

    public required int Id { get; init; }

    public TaskSignature? Signature { get; set; }

    public string[] ProvidesOrdered { get; set; } = [];

    /// <summary>(argument name, stored name after rebind, required?) in declaration order.</summary>
    public List<(string Argument, string Key, bool Required)> Arguments { get; } = [];
}

/// <summary>A pattern while being compiled.</summary>
internal sealed class PatternItem : CompileItem
{
    public required PatternDefinition Definition { get; init; }

    public List<CompileItem> Children { get; } = [];

    /// <summary>The pattern's retry controller, if it has one.</summary>
    public AtomItem? RetryItem { get; set; }

    /// <summary>For graph patterns: deciders on links between children, by (from, to) child index.</summary>
    public Dictionary<(int From, int To), (string Name, ILinkDecider Decider, DeciderDepth Depth)> ChildDeciders { get; } = [];

    /// <summary>For graph patterns: the predecessors of each child (by child index), inferred and explicit.</summary>
    public List<int>[] ChildPredecessors { get; set; } = [];

    /// <summary>Lazily built: for each symbol, the atom inside this pattern (at any depth) that provides it last in definition order.</summary>
    public Dictionary<string, AtomItem>? LastProviders { get; set; }
}
