using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Flow factories registered on the silo by name, so a client can start <c>"boot-server"</c> without the flow's code.</summary>
internal sealed class FlowFactoryCatalog
{
    private const int MaxNamesInMessages = 50;
    private readonly ConcurrentDictionary<string, Func<FlowDefinition>> _factories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _descriptions = new(StringComparer.Ordinal);

    /// <summary>Every registered flow name, sorted.</summary>
    public IReadOnlyCollection<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers a factory.</summary>
    /// <param name="name">The name clients start the flow by.</param>
    /// <param name="factory">Builds the definition; called for every start, so it may return a new one each time.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void Add(string name, Func<FlowDefinition> factory) => Add(name, factory, description: null);

    /// <summary>Registers a factory with a description operators see in the catalog (<c>ITaskFlowClient.GetCatalogAsync</c>).</summary>
    /// <param name="name">The name clients start the flow by.</param>
    /// <param name="factory">Builds the definition; called for every start, so it may return a new one each time.</param>
    /// <param name="description">What the flow does, in a sentence; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">The name or factory is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void Add(string name, Func<FlowDefinition> factory, string? description)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A flow factory needs a non-empty name; clients start the flow by it.", nameof(name));
        }

        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"A flow factory named '{name}' is already registered. Flow names must be unique on a silo; choose another name.", nameof(name));
        }

        if (!string.IsNullOrWhiteSpace(description))
        {
            _descriptions[name] = description;
        }
    }

    /// <summary>The description a factory was registered with.</summary>
    /// <param name="name">The flow name.</param>
    /// <returns>The description, or <see langword="null"/> when it has none (or no factory has that name).</returns>
    public string? DescriptionOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _descriptions.GetValueOrDefault(name);
    }

    /// <summary>Finds a factory by name.</summary>
    /// <param name="name">The flow name.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <returns>Whether the name is registered.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out Func<FlowDefinition>? factory)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _factories.TryGetValue(name, out factory);
    }

    /// <summary>Builds the definition of a registered flow.</summary>
    /// <param name="name">The flow name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="TaskNotRegisteredException">No factory has that name; the message lists the registered ones.</exception>
    public FlowDefinition Create(string name) => TryGet(name, out var factory)
        ? factory()
        : throw new TaskNotRegisteredException(name, DescribeNotRegistered(name));

    /// <summary>Explains that a flow factory is not registered, what is, and how to fix it.</summary>
    /// <param name="name">The missing name.</param>
    /// <returns>The message.</returns>
    public string DescribeNotRegistered(string name)
    {
        var names = Names;
        var listed = names.Count == 0
            ? "none"
            : string.Join(", ", names.Take(MaxNamesInMessages)) + (names.Count > MaxNamesInMessages ? $" and {names.Count - MaxNamesInMessages} more" : "");
        return $"No flow factory named '{name}' is registered on this silo. Registered flows: {listed}. " +
               "Register it on every silo with AddTaskFlow(taskFlow => taskFlow.AddFlow(\"" + name + "\", BuildFlow)), " +
               "or start the flow with its definition instead of a name.";
    }
}
