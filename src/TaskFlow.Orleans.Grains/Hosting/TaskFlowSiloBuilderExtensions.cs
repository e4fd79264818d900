using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using TaskFlow.Orleans.Core.Compilation;
using Orleans.Runtime.MembershipService.SiloMetadata;
using TaskFlow.Orleans.Grains.Execution;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Adds TaskFlow to an Orleans silo.</summary>
public static class TaskFlowSiloBuilderExtensions
{
    /// <summary>Adds TaskFlow to the silo: the task catalog, flow factories, the executor and options.</summary>
    /// <remarks>
    /// <para>Grain storage is the host's choice and is not registered here: add a provider named
    /// <see cref="TaskFlowOptions.StorageProviderName"/> (default <c>"taskflow"</c>), e.g.
    /// <c>AddMemoryGrainStorage("taskflow")</c>. Unless the host sets that provider's <c>GrainStorageSerializer</c>, it stores
    /// TaskFlow's state with the Orleans serializer: Orleans' default JSON serializer cannot read it back.</para>
    /// <para>Calling it again adds to the same catalogs. Register the same tasks on every silo: an executor can run
    /// on any of them.</para>
    /// </remarks>
    /// <example>
    /// <code>
    /// siloBuilder.AddTaskFlow(taskFlow =&gt; taskFlow
    ///         .AddTask&lt;AllocateIp&gt;()
    ///         .AddTask("double", (int x) =&gt; x * 2)
    ///         .AddFlow("boot-server", BootServerFlow.Build)
    ///         .Configure(options =&gt; options.ExecutorPoolSize = 128))
    ///     .AddMemoryGrainStorage("taskflow");
    /// </code>
    /// </example>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Registers tasks and flows, and sets options.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A task or flow registration is invalid; the message says how to fix it.</exception>
    public static ISiloBuilder AddTaskFlow(this ISiloBuilder builder, Action<TaskFlowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        var tasks = FindInstance<TaskCatalog>(services);
        var flows = FindInstance<FlowFactoryCatalog>(services);
        if (tasks is null)
        {
            tasks = new TaskCatalog();
            services.AddSingleton(tasks);
            services.AddSingleton<ITaskCatalog>(tasks);
            services.TryAddSingleton<TaskExecutor>();
            services.AddSingleton<Listeners.IFlowListener, Listeners.LoggingFlowListener>();
            services.AddOptions<TaskFlowOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskFlowOptions>, TaskFlowOptionsValidator>());
            services.AddSingleton(typeof(IConfigureOptions<>), typeof(StorageSerializerConfigurator<>));
            builder.AddPlacementDirector<CapabilityPlacementStrategy, CapabilityPlacementDirector>();
        }

        if (flows is null)
        {
            flows = new FlowFactoryCatalog();
            services.AddSingleton(flows);
        }

        var taskFlow = new TaskFlowBuilder(services, tasks, flows);
        configure(taskFlow);

        // Capabilities travel in silo metadata, which routed executors are placed by.
        builder.UseSiloMetadata(new Dictionary<string, string>
        {
            [CapabilityPlacementStrategy.MetadataKey] = string.Join(",", taskFlow.Capabilities),
        });
        return builder;
    }

    private static T? FindInstance<T>(IServiceCollection services) where T : class
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(T) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is T instance)
            {
                return instance;
            }
        }

        return null;
    }
}
