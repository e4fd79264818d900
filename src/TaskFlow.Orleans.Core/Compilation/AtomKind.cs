namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>What an atom of a compiled flow is.</summary>
internal enum AtomKind : byte
{
    /// <summary>A task: runs on an executor.</summary>
    Task = 0,
    /// <summary>A retry controller: runs in the engine's process.</summary>
    Retry = 1,
}
