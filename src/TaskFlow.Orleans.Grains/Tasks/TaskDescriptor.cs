using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>
/// A registered task: its name, its signature for the compiler, and a precompiled plan to call its Execute and
/// Revert. Built once, when the task is added to a <see cref="TaskCatalog"/>.
/// </summary>
/// <remarks>
/// <para>Requirements follow TaskFlow: every named parameter of Execute and Revert is a requirement; one with a
/// default value is optional. A name required by either method is required. Parameters recognised by type are
/// not requirements: <see cref="CancellationToken"/>, <see cref="TaskContext"/>, and in Revert a
/// <see cref="TaskOutcome{T}"/> and an <c>IReadOnlyDictionary&lt;string, Failure&gt;</c> of the flow's failures.</para>
/// <para>Use <see cref="TaskInvoker"/> to call it.</para>
/// </remarks>
internal sealed class TaskDescriptor
{
    private readonly ObjectFactory? _factory;

    private TaskDescriptor(string name, Type? taskType, ObjectFactory? factory, TaskMethod execute, TaskMethod? revert, ImmutableArray<string> defaultProvides,
        string? capability = null)
    {
        if (capability is not null && !CapabilityNames.IsValid(capability))
        {
            throw new ArgumentException(
                $"Task '{name}' requires capability '{capability}', which is not a valid name: use letters, digits, '-', '_' and '.' (e.g. \"gpu\").");
        }

        Name = name;
        TaskType = taskType;
        _factory = factory;
        ExecuteMethod = execute;
        RevertMethod = revert;
        Signature = BuildSignature(name, execute, revert, defaultProvides) with { Capability = capability };
    }

    /// <summary>The registered name.</summary>
    public string Name { get; }

    /// <summary>The task class; <see langword="null"/> for a delegate task.</summary>
    public Type? TaskType { get; }

    /// <summary>What the compiler needs: required and optional argument names and the default provides.</summary>
    public TaskSignature Signature { get; }

    /// <summary>The type Execute produces once awaited; <see cref="void"/> when it returns nothing.</summary>
    public Type ResultType => ExecuteMethod.ResultType;

    /// <summary>Whether the task has a Revert (without one, reverting it does nothing, as in TaskFlow).</summary>
    public bool HasRevert => RevertMethod is not null;

    /// <summary>The execute plan.</summary>
    internal TaskMethod ExecuteMethod { get; }

    /// <summary>The revert plan, if the task has a revert.</summary>
    internal TaskMethod? RevertMethod { get; }

    /// <summary>Describes a task class.</summary>
    /// <param name="taskType">A concrete <see cref="FlowTask"/> subclass.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentException">The class cannot be used as a task; the message says why and how to fix it.</exception>
    internal static TaskDescriptor FromType(Type taskType)
    {
        var owner = $"Task class '{taskType.FullName}'";
        if (!typeof(FlowTask).IsAssignableFrom(taskType))
        {
            throw new ArgumentException($"{owner} does not derive from FlowTask. Derive it from TaskFlow.Orleans.Authoring.FlowTask.");
        }

        if (taskType.IsAbstract || taskType.ContainsGenericParameters)
        {
            throw new ArgumentException(
                $"{owner} is {(taskType.IsAbstract ? "abstract" : "an open generic type")}, so it cannot be created. Register a concrete, non-generic subclass.");
        }

        if (taskType.GetConstructors().Length == 0)
        {
            throw new ArgumentException(
                $"{owner} has no public constructor. Add one; its parameters are resolved from the silo's services.");
        }

        var name = TaskNames.Of(taskType);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{owner} has an empty [TaskName]. Give it a stable, non-empty name.");
        }

        var execute = FindSingle(taskType, owner, "ExecuteAsync", "Execute", required: true)!;
        var executeMethod = TaskMethod.ForInstanceMethod(name, owner, execute, isRevert: false, executeResultType: null);
        var revert = FindSingle(taskType, owner, "RevertAsync", "Revert", required: false);
        var revertMethod = revert is null
            ? null
            : TaskMethod.ForInstanceMethod(name, owner, revert, isRevert: true, executeMethod.ResultType);
        var provides = taskType.GetCustomAttribute<DefaultProvidesAttribute>()?.Names.ToImmutableArray() ?? [];
        var factory = ActivatorUtilities.CreateFactory(taskType, Type.EmptyTypes);
        return new TaskDescriptor(name, taskType, factory, executeMethod, revertMethod, provides,
            taskType.GetCustomAttribute<RequiresCapabilityAttribute>()?.Capability);
    }

    /// <summary>Describes a delegate task.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="execute">The execute delegate.</param>
    /// <param name="revert">The revert delegate, if any.</param>
    /// <param name="provides">The default provides.</param>
    /// <param name="capability">The capability a silo must advertise to run it.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentException">A delegate cannot be bound; the message says why and how to fix it.</exception>
    internal static TaskDescriptor FromDelegate(string name, Delegate execute, Delegate? revert, Symbols provides, string? capability = null)
    {
        var executeMethod = TaskMethod.ForDelegate(name, execute, isRevert: false, executeResultType: null);
        var revertMethod = revert is null ? null : TaskMethod.ForDelegate(name, revert, isRevert: true, executeMethod.ResultType);
        return new TaskDescriptor(name, taskType: null, factory: null, executeMethod, revertMethod, provides.Names, capability);
    }

    /// <summary>Creates the task class instance for one call (constructor injection) and sets its context.</summary>
    /// <param name="services">Where constructor parameters come from.</param>
    /// <param name="context">The call's context.</param>
    /// <returns>The instance, or <see langword="null"/> for a delegate task.</returns>
    internal FlowTask? CreateInstance(IServiceProvider services, TaskContext context)
    {
        if (_factory is null)
        {
            return null;
        }

        var instance = (FlowTask)_factory(services, null);
        instance.Context = context;
        return instance;
    }

    /// <inheritdoc />
    public override string ToString() => TaskType is null ? $"{Name} (delegate)" : $"{Name} ({TaskType.FullName})";

    private static MethodInfo? FindSingle(Type taskType, string owner, string asyncName, string syncName, bool required)
    {
        var candidates = taskType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == asyncName || m.Name == syncName)
            .ToArray();
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        if (candidates.Length == 0)
        {
            return required
                ? throw new ArgumentException(
                    $"{owner} has no public instance method named {asyncName} or {syncName}. " +
                    $"Add one, e.g. 'public Task<string> {asyncName}(string network, CancellationToken cancellationToken)'; its parameter names become the task's requirements.")
                : null;
        }

        var found = string.Join("; ", candidates.Select(m =>
            $"{m.Name}({string.Join(", ", m.GetParameters().Select(p => $"{TypeDisplay.Of(p.ParameterType)} {p.Name}"))})"));
        throw new ArgumentException(
            $"{owner} has {candidates.Length} {asyncName}/{syncName} methods ({found}). Keep exactly one; " +
            "use parameters with default values for optional arguments instead of overloads.");
    }

    private static TaskSignature BuildSignature(string name, TaskMethod execute, TaskMethod? revert, ImmutableArray<string> provides)
    {
        var required = new List<string>();
        var optional = new List<string>();
        foreach (var parameter in revert is null ? execute.Parameters : execute.Parameters.Concat(revert.Parameters))
        {
            if (parameter.Kind != TaskParameterKind.Argument)
            {
                continue;
            }

            if (!parameter.IsOptional)
            {
                // Required by either method means required (it may have been listed as optional already).
                optional.Remove(parameter.Name);
                if (!required.Contains(parameter.Name))
                {
                    required.Add(parameter.Name);
                }
            }
            else if (!required.Contains(parameter.Name) && !optional.Contains(parameter.Name))
            {
                optional.Add(parameter.Name);
            }
        }

        return new TaskSignature(name, [.. required], [.. optional], provides.IsDefault ? [] : provides)
        {
            Positional = [.. execute.Parameters.Where(p => p.Kind == TaskParameterKind.Argument && !p.IsOptional).Select(p => p.Name)],
            TakesRequiredValues = execute.Parameters.Any(p => p.Kind == TaskParameterKind.RequiredValues),
        };
    }
}
