using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Fixtures;

/// <summary>Configures each test silo: one in-memory logbook store shared by the silos, and TaskFlow with the test tasks.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    /// <summary>Orleans' response timeout in the test silos (the default is 30 s).</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The capability the first silo advertises.</summary>
    public const string GpuCapability = "gpu";

    private static int _configured;

    /// <summary>The logbooks of every test silo in this process: one store, as a database would be, so a run resumed on
    /// another silo finds its logbook.</summary>
    public static global::TaskFlow.Orleans.Grains.Logbook.MemoryLogbookStore Store { get; } = new();

    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        var silo = SiloIdentity.Register(siloBuilder.Services);
        // A short response timeout, so a test can show that a task running longer than it still completes.
        siloBuilder.Configure<global::Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        siloBuilder
            .AddTaskFlowMemoryStorage(Store)
            .UseInMemoryReminderService()
            .AddTaskFlow(taskFlow =>
            {
                taskFlow.AddTestTasks(silo).AddListener<RecordingListener>();
                if (Interlocked.Increment(ref _configured) == 1)
                {
                    // Only the first silo of a cluster advertises it, so routed tasks must all run there.
                    taskFlow.AdvertiseCapabilities(GpuCapability);
                }
            });
    }
}
