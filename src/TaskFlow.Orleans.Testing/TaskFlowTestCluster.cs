using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Testing;

/// <summary>An in-process TaskFlow.Orleans cluster for testing your own tasks and flows: silos that register your tasks and
/// keep runs in memory, a client, a journal of every execute and revert, gates to hold a task mid-execute, an optional fake
/// clock, and helpers to kill a silo mid-run and to wait for a run's state without sleeping.</summary>
/// <remarks>
/// It does not depend on a test framework: create it in a fixture (xUnit's <c>IAsyncLifetime</c>, NUnit's
/// <c>[OneTimeSetUp]</c>, MSTest's <c>[ClassInitialize]</c>) and dispose it when the tests are done. Starting a cluster takes
/// a few seconds, so share one between tests and give each run its own id; the journal and the gates are kept per run.
/// <code>
/// await using var cluster = await TaskFlowTestCluster.CreateBuilder().AddTask&lt;Reserve&gt;().AddTask&lt;Charge&gt;().StartAsync();
/// var handle = await cluster.Client.StartAsync(OrderFlow.Build(), inputs, new StartFlowOptions { FlowId = "order-1" });
/// await cluster.WaitForFinishAsync("order-1");
/// cluster.Journal.ForRun("order-1").AssertOrder(Executed("reserve"), ExecuteFailed("charge"), Reverted("charge"), Reverted("reserve"));
/// </code>
/// </remarks>
public sealed partial class TaskFlowTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private bool _disposed;

    private TaskFlowTestCluster(InProcessTestCluster cluster, ExecutionJournal journal, TaskGates gates, FakeTimeProvider? clock)
    {
        _cluster = cluster;
        Journal = journal;
        Gates = gates;
        Clock = clock;
        Client = new TaskFlowClient(cluster.Client);
    }

    /// <summary>How long the kit's waits wait when a test does not say.</summary>
    /// <value>30 seconds.</value>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>A TaskFlow client connected to the cluster.</summary>
    public ITaskFlowClient Client { get; }

    /// <summary>Every execute and revert of the cluster's runs, recorded by the engine (your tasks need no test code).</summary>
    public ExecutionJournal Journal { get; }

    /// <summary>The gates your tasks can wait at (they inject <see cref="TaskGates"/>), opened by the test.</summary>
    public TaskGates Gates { get; }

    /// <summary>The silos' fake clock when the builder asked for one (<see cref="TaskFlowTestClusterBuilder.UseFakeTime"/>);
    /// otherwise <see langword="null"/> and the silos use the system clock.</summary>
    public FakeTimeProvider? Clock { get; }

    /// <summary>The Orleans test cluster underneath, for what the kit does not cover (its <c>Client</c> reaches any grain).</summary>
    public InProcessTestCluster Cluster => _cluster;

    /// <summary>The silos that are running, the first one started first.</summary>
    public IReadOnlyList<InProcessSiloHandle> Silos => [.. _cluster.GetActiveSilos()];

    /// <summary>Starts describing a cluster: one silo, in-memory storage, the system clock.</summary>
    /// <returns>The builder; finish with <see cref="TaskFlowTestClusterBuilder.StartAsync"/>.</returns>
    public static TaskFlowTestClusterBuilder CreateBuilder() => new();

    /// <summary>Stops the silos and the client.</summary>
    /// <returns>Completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _cluster.StopAllSilosAsync().ConfigureAwait(false);
        }
        finally
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static async Task<TaskFlowTestCluster> StartAsync(TaskFlowTestClusterBuilder description, CancellationToken cancellationToken)
    {
        var journal = new ExecutionJournal();
        var gates = new TaskGates();
        var clock = description.Clock;
        // One store for every silo, as one database would be: a run resumed on another silo finds its logbook there.
        var store = new MemoryLogbookStore();

        var builder = new InProcessTestClusterBuilder((short)description.SiloCount);
        builder.ConfigureSilo((_, silo) => ConfigureSilo(silo, description, journal, gates, clock, store));
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new TaskFlowTestCluster(cluster, journal, gates, clock);
    }

    private static void ConfigureSilo(ISiloBuilder silo, TaskFlowTestClusterBuilder description, ExecutionJournal journal, TaskGates gates,
        FakeTimeProvider? clock, MemoryLogbookStore store)
    {
        silo.Services.AddSingleton(journal);
        silo.Services.AddSingleton(gates);
        if (clock is not null)
        {
            silo.Services.RemoveAll<TimeProvider>();
            silo.Services.AddSingleton<TimeProvider>(clock);
        }

        silo.AddTaskFlowMemoryStorage(store)
            .UseInMemoryReminderService()
            .AddTaskFlow(taskFlow =>
            {
                taskFlow.AddListener<JournalListener>();
                foreach (var configure in description.TaskFlowCallbacks)
                {
                    configure(taskFlow);
                }
            });
        foreach (var configure in description.SiloCallbacks)
        {
            configure(silo);
        }
    }
}
