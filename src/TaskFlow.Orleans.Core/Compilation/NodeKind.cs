namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>What a node of the execution graph is (TaskFlow's node <c>kind</c>).</summary>
internal enum NodeKind : byte
{
    Task = 0,
    Retry = 1,
    /// <summary>Where a pattern starts (TaskFlow's flow node).</summary>
    FlowEntry = 2,
    /// <summary>Where a pattern ends (TaskFlow's <c>Terminator</c>).</summary>
    FlowExit = 3,
}
