using global::Orleans.Hosting;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Testing;

/// <summary>Describes a <see cref="TaskFlowTestCluster"/>: how many silos, which tasks and flows they register, and whether
/// they run on a fake clock. Get one from <see cref="TaskFlowTestCluster.CreateBuilder"/>.</summary>
/// <example>
/// <code>
/// await using var cluster = await TaskFlowTestCluster.CreateBuilder()
///     .WithSilos(2)
///     .AddTask&lt;AllocateIp&gt;()
///     .ConfigureTaskFlow(taskFlow =&gt; taskFlow.AddFlow("boot-server", BootServerFlow.Build))
///     .ConfigureSilo(silo =&gt; silo.Services.AddSingleton&lt;IIpPool, FakeIpPool&gt;())
///     .StartAsync();
/// </code>
/// </example>
public sealed class TaskFlowTestClusterBuilder
{
    /// <summary>The most silos a test cluster may have.</summary>
    public const int MaxSilos = 10;

    private readonly List<Action<TaskFlowBuilder>> _taskFlow = [];
    private readonly List<Action<ISiloBuilder>> _silo = [];

    internal TaskFlowTestClusterBuilder()
    {
    }

    internal int SiloCount { get; private set; } = 1;

    internal FakeTimeProvider? Clock { get; private set; }

    internal IReadOnlyList<Action<TaskFlowBuilder>> TaskFlowCallbacks => _taskFlow;

    internal IReadOnlyList<Action<ISiloBuilder>> SiloCallbacks => _silo;

    /// <summary>Sets how many silos the cluster starts with.</summary>
    /// <param name="count">From 1 to <see cref="MaxSilos"/>; 1 when not set. Killing a silo mid-run needs at least 2.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    public TaskFlowTestClusterBuilder WithSilos(int count)
    {
        if (count is < 1 or > MaxSilos)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"A test cluster has from 1 to {MaxSilos} silos; {count} is out of range. Use 2 or more to kill a silo mid-run.");
        }

        SiloCount = count;
        return this;
    }

    /// <summary>Registers a task class on every silo (as <c>TaskFlowBuilder.AddTask</c> does).</summary>
    /// <typeparam name="TTask">The task class; its constructor parameters come from the silo's services.</typeparam>
    /// <returns>This builder.</returns>
    public TaskFlowTestClusterBuilder AddTask<TTask>() where TTask : FlowTask => ConfigureTaskFlow(taskFlow => taskFlow.AddTask<TTask>());

    /// <summary>Registers tasks, flow factories, deciders, listeners and options on every silo, as your own host's
    /// <c>AddTaskFlow</c> callback does; call it as often as you like.</summary>
    /// <param name="configure">Called once per silo with that silo's builder.</param>
    /// <returns>This builder.</returns>
    public TaskFlowTestClusterBuilder ConfigureTaskFlow(Action<TaskFlowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _taskFlow.Add(configure);
        return this;
    }

    /// <summary>Configures every silo beyond TaskFlow: the services your tasks inject, Orleans options, another storage.</summary>
    /// <remarks>Runs after the kit's own setup (in-memory storage shared by the silos, in-memory reminders), so a storage
    /// added here replaces the memory one.</remarks>
    /// <param name="configure">Called once per silo.</param>
    /// <returns>This builder.</returns>
    public TaskFlowTestClusterBuilder ConfigureSilo(Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _silo.Add(configure);
        return this;
    }

    /// <summary>Runs every silo on a fake clock, which the test moves with <see cref="FakeTimeProvider.Advance"/>.</summary>
    /// <remarks>The clock is the silos' <see cref="TimeProvider"/> service: the engine's timestamps and delays (re-dispatch
    /// back-off, storage retries, retention sweeps), Orleans' own timers and reminders that read it, and every task that
    /// injects <see cref="TimeProvider"/>. A delay on it waits until the test advances the clock past it.</remarks>
    /// <param name="clock">The clock; a new one starting at 2000-01-01 UTC when not given.</param>
    /// <returns>This builder.</returns>
    public TaskFlowTestClusterBuilder UseFakeTime(FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return this;
    }

    /// <summary>Starts the cluster's silos and its client.</summary>
    /// <param name="cancellationToken">Stops starting.</param>
    /// <returns>The running cluster; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">A task or flow registration is invalid; the message says how to fix it.</exception>
    public Task<TaskFlowTestCluster> StartAsync(CancellationToken cancellationToken = default) => TaskFlowTestCluster.StartAsync(this, cancellationToken);
}
