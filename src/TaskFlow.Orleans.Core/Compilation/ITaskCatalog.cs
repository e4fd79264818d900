using System.Diagnostics.CodeAnalysis;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>What is registered on this silo, as the compiler sees it: tasks, and the user-defined retry controllers and link deciders flows refer to by name.</summary>
/// <remarks>The retry and decider members have defaults meaning "none registered", so a flow that names one is rejected
/// with a clear problem until the silo registers it.</remarks>
internal interface ITaskCatalog
{
    /// <summary>Every registered task name.</summary>
    IReadOnlyCollection<string> TaskNames { get; }

    /// <summary>Finds a task's signature by its registered name.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <param name="signature">The signature, when found.</param>
    /// <returns>Whether the task is registered.</returns>
    bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature);

    /// <summary>The registered names whose last dot-separated part is <paramref name="shortName"/> (a class name given
    /// without its namespace); <see cref="TryGetSignature"/> resolves it when there is exactly one.</summary>
    /// <param name="shortName">A name without dots.</param>
    /// <returns>The full names, in order.</returns>
    IReadOnlyList<string> FullNamesOf(string shortName) => [];

    /// <summary>Every registered retry controller name (for <c>Retry.Custom</c>).</summary>
    IReadOnlyCollection<string> RetryControllerNames => [];

    /// <summary>Gets a registered retry controller.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="controller">The controller, when found.</param>
    /// <returns>Whether it is registered.</returns>
    bool TryGetRetryController(string name, [NotNullWhen(true)] out IRetryController? controller)
    {
        controller = null;
        return false;
    }

    /// <summary>Every registered link decider name.</summary>
    IReadOnlyCollection<string> DeciderNames => [];

    /// <summary>Gets a registered link decider.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="decider">The decider, when found.</param>
    /// <returns>Whether it is registered.</returns>
    bool TryGetDecider(string name, [NotNullWhen(true)] out ILinkDecider? decider)
    {
        decider = null;
        return false;
    }
}
