namespace TaskFlow.Orleans.Definitions;

/// <summary>How the items of a flow pattern are ordered, as TaskFlow's patterns.</summary>
[GenerateSerializer]
[Alias("taskflow.PatternKind")]
public enum PatternKind : byte
{
    /// <summary>Items run one after another in insertion order (<c>linear_flow</c>).</summary>
    Linear = 0,
    /// <summary>Items have no order and may run at once; they do not see each other's results (<c>unordered_flow</c>).</summary>
    Unordered = 1,
    /// <summary>Items are ordered by edges inferred from requires/provides plus explicit links (<c>graph_flow</c>).</summary>
    Graph = 2,
}
