using System.Diagnostics.CodeAnalysis;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>The tasks registered on this silo, as the compiler sees them.</summary>
public interface ITaskCatalog
{
    /// <summary>Every registered task name.</summary>
    IReadOnlyCollection<string> TaskNames { get; }

    /// <summary>Finds a task's signature by its registered name.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <param name="signature">The signature, when found.</param>
    /// <returns>Whether the task is registered.</returns>
    bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature);
}
