using TaskFlow.Orleans.Core.Retries;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Registers tasks, flow factories and options for one silo; given to the <c>AddTaskFlow</c> callback.</summary>
/// <remarks>Registration errors (an invalid task class, a duplicate name) throw at once, while the silo is configured.</remarks>
public sealed class TaskFlowBuilder
{
    internal TaskFlowBuilder(IServiceCollection services, TaskCatalog tasks, FlowFactoryCatalog flows)
    {
        Services = services;
        Tasks = tasks;
        Flows = flows;
    }

    /// <summary>The silo's services, for registering what tasks inject.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The tasks registered so far.</summary>
    internal TaskCatalog Tasks { get; }

    /// <summary>The flow factories registered so far.</summary>
    internal FlowFactoryCatalog Flows { get; }

    /// <summary>Registers a task class under its <see cref="TaskNameAttribute"/> name (else its class name).</summary>
    /// <typeparam name="TTask">The task class; its constructor parameters are resolved from the silo's services.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The class is not a valid task, or its name is taken.</exception>
    public TaskFlowBuilder AddTask<TTask>() where TTask : FlowTask
    {
        Tasks.AddTask<TTask>();
        return this;
    }

    /// <summary>Registers a task class under its <see cref="TaskNameAttribute"/> name (else its class name).</summary>
    /// <param name="taskType">A concrete <see cref="FlowTask"/> subclass.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The class is not a valid task, or its name is taken.</exception>
    public TaskFlowBuilder AddTask(Type taskType)
    {
        Tasks.AddTask(taskType);
        return this;
    }

    /// <summary>Registers a delegate as a task: its parameter names are the requirements.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="execute">A lambda with explicitly typed parameters, e.g. <c>(int x) =&gt; x + 1</c>.</param>
    /// <param name="revert">Undoes execute, if it can be undone; may take a <see cref="TaskOutcome{T}"/>.</param>
    /// <param name="provides">The names the result is stored under by default.</param>
    /// <param name="capability">A capability a silo must advertise to run it (see <c>RequiresCapabilityAttribute</c>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken, or a delegate cannot be bound.</exception>
    public TaskFlowBuilder AddTask(string name, Delegate execute, Delegate? revert = null, Symbols provides = default, string? capability = null)
    {
        Tasks.AddTask(name, execute, revert, provides, capability);
        return this;
    }

    /// <summary>Advertises capabilities of this silo: tasks that require one (<c>[RequiresCapability]</c>) run only on silos
    /// that advertise it (as TaskFlow's worker topics route tasks to workers).</summary>
    /// <param name="capabilities">Names such as <c>gpu</c>: letters, digits, '-', '_' and '.'.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A name is empty or has other characters.</exception>
    public TaskFlowBuilder AdvertiseCapabilities(params string[] capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        foreach (var capability in capabilities)
        {
            if (!CapabilityNames.IsValid(capability))
            {
                throw new ArgumentException(
                    $"Capability '{capability}' is not a valid name: use letters, digits, '-', '_' and '.' (e.g. \"gpu\").", nameof(capabilities));
            }

            Capabilities.Add(capability);
        }

        return this;
    }

    /// <summary>The capabilities this silo advertises.</summary>
    public ISet<string> Capabilities { get; } = new SortedSet<string>(StringComparer.Ordinal);

    /// <summary>Adds a silo-side listener that sees every flow start and state change (see <see cref="IFlowListener"/>).</summary>
    /// <typeparam name="TListener">The listener type, created once through dependency injection.</typeparam>
    /// <returns>This builder.</returns>
    public TaskFlowBuilder AddListener<TListener>() where TListener : class, IFlowListener
    {
        Services.AddSingleton<IFlowListener, TListener>();
        return this;
    }

    /// <summary>Registers a user-defined retry controller flows refer to with <c>Retry.Custom(name)</c>.</summary>
    /// <param name="name">The stable name.</param>
    /// <param name="controller">The controller; it runs in the engine's process.</param>
    /// <returns>This builder.</returns>
    public TaskFlowBuilder AddRetryController(string name, IRetryController controller)
    {
        Tasks.AddRetryController(name, controller);
        return this;
    }

    /// <summary>Registers a link decider flows refer to with <c>Link(from, to, decider: name)</c>.</summary>
    /// <param name="name">The stable name.</param>
    /// <param name="decider">Gets the results of the link's source atoms by atom name; returns whether the target runs.</param>
    /// <returns>This builder.</returns>
    public TaskFlowBuilder AddDecider(string name, Func<IReadOnlyDictionary<string, object?>, bool> decider)
    {
        Tasks.AddDecider(name, decider);
        return this;
    }

    /// <summary>Registers a link decider that sees the run and the link as well as the results (<see cref="Authoring.DeciderContext"/>):
    /// a per-run decider.</summary>
    /// <param name="name">The stable name.</param>
    /// <param name="decider">The decider.</param>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// sealed class NotOnDryRuns : ILinkDecider
    /// {
    ///     public bool Decide(DeciderContext context) =&gt; !context.FlowId.StartsWith("dry-", StringComparison.Ordinal);
    /// }
    /// taskFlow.AddDecider("not-on-dry-runs", new NotOnDryRuns());
    /// </code>
    /// </example>
    public TaskFlowBuilder AddDecider(string name, ILinkDecider decider)
    {
        Tasks.AddDecider(name, decider);
        return this;
    }

    /// <summary>Registers a flow factory, so clients can start the flow by name.</summary>
    /// <param name="name">The name clients use.</param>
    /// <param name="factory">Builds the definition.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public TaskFlowBuilder AddFlow(string name, Func<FlowDefinition> factory)
    {
        Flows.Add(name, factory);
        return this;
    }

    /// <summary>Registers a flow factory with a description, so clients can start the flow by name and operators see what
    /// it does in the catalog (<c>ITaskFlowClient.GetCatalogAsync</c>).</summary>
    /// <param name="name">The name clients use.</param>
    /// <param name="factory">Builds the definition.</param>
    /// <param name="description">What the flow does, in a sentence.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public TaskFlowBuilder AddFlow(string name, Func<FlowDefinition> factory, string description)
    {
        Flows.Add(name, factory, description);
        return this;
    }

    /// <summary>Changes options; checked by <see cref="TaskFlowOptionsValidator"/> when the silo starts.</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public TaskFlowBuilder Configure(Action<TaskFlowOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Changes the limits on flow ids, values, payloads and flow sizes (the host binds them from <c>TaskFlow:Limits</c>);
    /// checked by <see cref="TaskFlowLimitsValidator"/> when the silo starts.</summary>
    /// <param name="configure">Sets limits.</param>
    /// <returns>This builder.</returns>
    public TaskFlowBuilder ConfigureLimits(Action<Limits.TaskFlowLimits> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
