using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Compilation;
using Orleans.Runtime.MembershipService.SiloMetadata;
using TaskFlow.Orleans.Grains.Execution;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Adds TaskFlow to an Orleans silo.</summary>
public static class TaskFlowSiloBuilderExtensions
{
    /// <summary>Adds TaskFlow to the silo: the task catalog, flow factories, the executor and options, and the filter that
    /// refuses external clients' calls to grain methods only silos may call (<see cref="SiloOnlyAttribute"/>).</summary>
    /// <remarks>
    /// <para>Where runs are kept is the host's choice and is not registered here: add <c>AddTaskFlowMemoryStorage()</c>
    /// (tests), <c>AddTaskFlowSqlite</c> or <c>AddTaskFlowPostgreSql</c>; a silo without one does not start, and says so.</para>
    /// <para>It makes Orleans' strongly consistent grain directory the silo's default, so that a silo's death never gives a
    /// run a second engine (docs/design.md, "One engine per run"). To use another default directory, register it before
    /// calling this: it is then kept, with its own guarantee.</para>
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
    ///     .AddTaskFlowMemoryStorage();
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
            services.AddSingleton<IFlowListener, Listeners.LoggingFlowListener>();
            services.AddOptions<TaskFlowOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskFlowOptions>, TaskFlowOptionsValidator>());
            services.AddOptions<Limits.TaskFlowLimits>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Limits.TaskFlowLimits>, TaskFlowLimitsValidator>());
            // An oversized message is refused where it arrives: a silo reads a message's length before its body and closes a
            // connection that announces more than this, so it never buffers the body (Orleans' own default is 100 MB).
            services.AddOptions<SiloMessagingOptions>().Configure<IOptions<Limits.TaskFlowLimits>>((messaging, limits) =>
                messaging.MaxMessageBodySize = limits.Value.MaxMessageBytes);
            services.AddSingleton(typeof(IConfigureOptions<>), typeof(StorageSerializerConfigurator<>));
            // The engine's internals (logbook, executors, progress reports) answer silos only, not external clients.
            builder.AddIncomingGrainCallFilter<SiloOnlyCallFilter>();
            builder.AddPlacementDirector<CapabilityPlacementStrategy, CapabilityPlacementDirector>();
            builder.AddPlacementDirector<Cluster.SiloPinnedPlacementStrategy, Cluster.SiloPinnedPlacementDirector>();
            Cluster.RunDirectory.AddTo(builder); // one engine per run, also while a dead silo is voted out (strongly consistent directory)
            services.TryAddSingleton<Flows.ActiveRuns>();
            services.TryAddSingleton<Flows.CompiledFlowCache>();
            services.TryAddSingleton<LogbookSerializer>();
            services.TryAddSingleton<Security.ValueMask>();
            services.TryAddSingleton<ExecutorDirectory>();
            services.TryAddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<TaskFlowOptions>>().Value;
                var store = sp.GetService<ILogbookStore>() ?? throw new InvalidOperationException(
                    "TaskFlow has no storage for its runs: add one to the silo, e.g. siloBuilder.AddTaskFlowMemoryStorage() (tests), " +
                    "AddTaskFlowSqlite(o => o.DatabasePath = \"data/taskflow.db\") or AddTaskFlowPostgreSql(o => o.ConnectionString = ...).");
                return new LogbookCommitter(store,
                    new LogbookCommitterOptions { MaxBatchSize = options.MaxRunsPerTransaction, MaxConcurrentBatches = options.MaxConcurrentTransactions },
                    sp.GetRequiredService<ILogger<LogbookCommitter>>());
            });
            // Retention of finished runs (TaskFlow:Retention): one sweeper grain for the cluster, woken by a reminder that each
            // silo schedules (or removes, with retention off) when it starts.
            services.AddOptions<TaskFlowRetentionOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskFlowRetentionOptions>, TaskFlowRetentionOptionsValidator>());
            services.TryAddSingleton(sp => Retention.FinishedRunsPurger.ForCluster(
                sp.GetRequiredService<LogbookCommitter>().Store, sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<ILogger<Retention.FinishedRunsPurger>>()));
            builder.AddStartupTask(Retention.RetentionStartup.ScheduleAsync);
            // Fail at start, not at the first run, when no storage was added.
            builder.AddStartupTask((sp, _) =>
            {
                sp.GetRequiredService<LogbookCommitter>();
                return Task.CompletedTask;
            });
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

    /// <summary>Keeps TaskFlow's runs in the silo's memory: for tests and benchmarks (everything is lost when the process ends).</summary>
    /// <remarks>For durable runs use <c>AddTaskFlowSqlite</c> or <c>AddTaskFlowPostgreSql</c>; the last storage added wins.</remarks>
    /// <param name="builder">The silo builder.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddTaskFlowMemoryStorage(this ISiloBuilder builder) => builder.AddTaskFlowMemoryStorage(new MemoryLogbookStore());

    /// <summary>Keeps TaskFlow's runs in the given in-memory store, which several silos of one process may share (an in-process
    /// test cluster: a run resumed on another silo then finds its logbook).</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddTaskFlowMemoryStorage(this ISiloBuilder builder, MemoryLogbookStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.RemoveAll<ILogbookStore>();
        builder.Services.AddSingleton<ILogbookStore>(store);
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
