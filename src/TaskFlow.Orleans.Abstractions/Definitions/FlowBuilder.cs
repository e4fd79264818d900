using System.Collections.Immutable;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Definitions;

/// <summary>Builds one pattern of a flow; patterns nest to any depth. Validation happens when the flow is compiled on a silo.</summary>
public sealed class FlowBuilder
{
    private readonly string _name;
    private readonly PatternKind _kind;
    private readonly List<FlowElement> _items = [];
    private readonly List<FlowLink> _links = [];
    private readonly bool _targeted;
    private RetryDefinition? _retry;
    private string? _target;

    internal FlowBuilder(string name, PatternKind kind, bool targeted = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _kind = kind;
        _targeted = targeted;
    }

    /// <summary>Adds a use of task <typeparamref name="TTask"/>, named after the task unless <paramref name="name"/> is given.</summary>
    /// <typeparam name="TTask">The task type; it must be registered on the silos.</typeparam>
    /// <param name="name">The atom's name, unique in the flow; defaults to the task's registered name.</param>
    /// <param name="provides">Names the result is stored under; defaults to the task's <see cref="DefaultProvidesAttribute"/>.</param>
    /// <param name="requires">Extra requirements besides those inferred from Execute.</param>
    /// <param name="rebind">Take arguments from other stored names: by argument name, or by position with <see cref="Rebind.Positional"/>.</param>
    /// <param name="inject">Fixed argument values for this atom only.</param>
    /// <param name="priority">Dispatch order among atoms ready at once (higher first).</param>
    /// <param name="timeout">How long one Execute may run before it is cancelled and fails with a timeout.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Add<TTask>(string? name = null, Symbols provides = default, Symbols requires = default,
        Rebind rebind = default, Inject inject = default, int priority = 0, TimeSpan? timeout = null)
        where TTask : FlowTask =>
        Add(TaskNames.Of<TTask>(), name, provides, requires, rebind, inject, priority, timeout);

    /// <summary>Adds a use of the task registered as <paramref name="taskName"/>.</summary>
    /// <param name="taskName">The task's registered name.</param>
    /// <param name="name">The atom's name, unique in the flow; defaults to <paramref name="taskName"/>.</param>
    /// <param name="provides">Names the result is stored under; defaults to the task's default provides.</param>
    /// <param name="requires">Extra requirements besides those inferred from Execute.</param>
    /// <param name="rebind">Take arguments from other stored names: by argument name, or by position with <see cref="Rebind.Positional"/>.</param>
    /// <param name="inject">Fixed argument values for this atom only.</param>
    /// <param name="priority">Dispatch order among atoms ready at once (higher first).</param>
    /// <param name="timeout">How long one Execute may run before it is cancelled and fails with a timeout.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Add(string taskName, string? name = null, Symbols provides = default, Symbols requires = default,
        Rebind rebind = default, Inject inject = default, int priority = 0, TimeSpan? timeout = null)
    {
        if (timeout is { } limit && limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, $"The timeout of atom '{name ?? taskName}' must be positive; leave it null for no limit.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        _items.Add(new AtomDefinition
        {
            Name = name ?? taskName,
            TaskName = taskName,
            Provides = provides.Names,
            ProvidesSet = provides.IsSpecified,
            Requires = requires.Names,
            Rebind = rebind.Map,
            PositionalRebind = rebind.PositionalSources,
            Inject = inject.Values,
            Priority = priority,
            Timeout = timeout,
        });
        return this;
    }

    /// <summary>Adds a nested pattern.</summary>
    /// <param name="subflow">The nested pattern's builder.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Add(FlowBuilder subflow)
    {
        ArgumentNullException.ThrowIfNull(subflow);
        _items.Add(subflow.BuildPattern());
        return this;
    }

    /// <summary>Adds an already built element (an atom or a nested pattern).</summary>
    /// <param name="element">The element.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Add(FlowElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        _items.Add(element);
        return this;
    }

    /// <summary>Adds several elements.</summary>
    /// <param name="elements">The elements.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder AddRange(IEnumerable<FlowElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var element in elements)
        {
            Add(element);
        }

        return this;
    }

    /// <summary>In a graph pattern, makes item <paramref name="to"/> run after item <paramref name="from"/>, optionally only when a decider says so.</summary>
    /// <param name="from">The name of the item that runs first.</param>
    /// <param name="to">The name of the item that runs after it.</param>
    /// <param name="decider">The name of a decider registered on the silos; when it says no, <paramref name="to"/> and the
    /// atoms <paramref name="depth"/> reaches are IGNOREd (TaskFlow's <c>link(u, v, decider=...)</c>).</param>
    /// <param name="depth">How far a "no" reaches.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Link(string from, string to, string? decider = null, DeciderDepth depth = DeciderDepth.All)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        if (decider is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(decider);
        }

        _links.Add(new FlowLink(from, to) { Decider = decider, Depth = depth });
        return this;
    }

    /// <summary>
    /// Attaches a retry controller to this pattern: it runs before the pattern's items and resolves failures of every atom in
    /// it, nested patterns without their own retry included (TaskFlow's <c>Flow(name, retry=...)</c>).
    /// </summary>
    /// <param name="retry">The controller, from <see cref="Retry"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The pattern already has a retry.</exception>
    public FlowBuilder WithRetry(RetryDefinition retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        if (_retry is not null)
        {
            throw new InvalidOperationException($"Flow '{_name}' already has a retry controller; a flow has at most one. Nest a subflow to add another.");
        }

        _retry = retry;
        return this;
    }

    /// <summary>
    /// In a targeted pattern (<see cref="Flow.Targeted"/>), runs only <paramref name="itemName"/> and the items it depends on
    /// (TaskFlow's <c>TargetedFlow.set_target</c>). The item must be added directly to this pattern; that is checked when the
    /// flow is compiled, so the target may be set before its item is added.
    /// </summary>
    /// <param name="itemName">The name of an atom or nested pattern of this pattern.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">This pattern was not made with <see cref="Flow.Targeted"/>.</exception>
    public FlowBuilder SetTarget(string itemName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemName);
        if (!_targeted)
        {
            throw new InvalidOperationException(
                $"Flow '{_name}' is not a targeted flow, so it cannot have a target. Make it with Flow.Targeted(\"{_name}\") to run only '{itemName}' and what it depends on.");
        }

        _target = itemName;
        return this;
    }

    /// <summary>Clears the target: every item runs again (TaskFlow's <c>TargetedFlow.reset_target</c>).</summary>
    /// <returns>This builder.</returns>
    public FlowBuilder ResetTarget()
    {
        _target = null;
        return this;
    }

    /// <summary>Builds this pattern as a nested element.</summary>
    /// <returns>The pattern.</returns>
    public PatternDefinition BuildPattern() => new()
    {
        Name = _name,
        Kind = _kind,
        Items = [.. _items],
        Links = [.. _links],
        Retry = _retry,
        Target = _target,
    };

    /// <summary>Builds the flow with this pattern at its top.</summary>
    /// <param name="options">Engine options for runs of the flow; TaskFlow's defaults when omitted.</param>
    /// <returns>The flow definition.</returns>
    public FlowDefinition Build(FlowEngineOptions? options = null) => new() { Root = BuildPattern(), Options = options };
}
