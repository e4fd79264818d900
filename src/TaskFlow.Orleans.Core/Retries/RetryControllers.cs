using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Retries;

/// <summary>Creates the controller of a built-in retry definition.</summary>
internal static class RetryControllers
{
    /// <summary>Creates the controller of a built-in retry.</summary>
    /// <param name="definition">The retry; not <see cref="RetryKind.Custom"/>.</param>
    /// <param name="name">The retry's (resolved) name.</param>
    /// <returns>The controller.</returns>
    /// <exception cref="ArgumentException">The definition is user-defined or of an unknown kind.</exception>
    public static IRetryController CreateBuiltIn(RetryDefinition definition, string name)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Kind switch
        {
            RetryKind.AlwaysRevert => new AlwaysRevertController(),
            RetryKind.AlwaysRevertAll => new AlwaysRevertAllController(),
            RetryKind.Times => new TimesController(definition.Attempts, definition.RevertAll),
            RetryKind.ForEach => new ForEachController(name, definition.Values.IsDefault ? [] : definition.Values, definition.RevertAll),
            RetryKind.ParameterizedForEach => new ForEachController(name, null, definition.RevertAll),
            _ => throw new ArgumentException($"Retry '{name}' is {definition.Kind}, not a built-in controller.", nameof(definition)),
        };
    }
}
