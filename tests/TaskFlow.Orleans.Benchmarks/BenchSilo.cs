using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>One in-process silo with the benchmark tasks on a given storage backend.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private static int _next;
    private readonly IHost _host;

    private BenchSilo(IHost host, string serviceId)
    {
        _host = host;
        ServiceId = serviceId;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Client = new TaskFlowClient(Grains);
    }

    public IGrainFactory Grains { get; }

    /// <summary>The silo's services (its logbook store, for one).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The ServiceId the silo's rows are stored under.</summary>
    public string ServiceId { get; }

    public ITaskFlowClient Client { get; }

    public static async Task<BenchSilo> StartAsync(string name, Action<ISiloBuilder> storage, string[] args)
    {
        var offset = Interlocked.Increment(ref _next);
        var serviceId = $"taskflow-bench-{name}-{Environment.ProcessId}";
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("TaskFlow", LogLevel.Error).AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: 11410 + offset, gatewayPort: 30410 + offset, serviceId: serviceId, clusterId: "bench")
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = "bench";
                    o.ServiceId = serviceId;
                });
            storage(silo);
            silo.AddTaskFlow(taskFlow => taskFlow
                .Configure(o =>
                {
                    o.Durability = args.Contains("--relaxed") ? TaskFlow.Orleans.Definitions.Durability.Relaxed : TaskFlow.Orleans.Definitions.Durability.Strict;
                    o.ResumeWithReminders = !args.Contains("--no-reminders");
                })
                .AddTask("bench.add-one", (long value) => value + 1, revert: (long value) => { })
                .AddTask("bench.one", () => 1L)
                .AddTask("bench.join", () => 0L)
                .AddTask("bench.fail", (long value) => FailingStep(value)));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, serviceId);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static long FailingStep(long value) => throw new InvalidOperationException($"Step fails on purpose with value {value}.");

    private static int ReadInt(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
