// Pack smoke: a silo and its client in one process, from the packed packages only. Runs a flow with a delegate task and a
// FlowTask, checks the result, exits 0 (1 with a message otherwise).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: 22111, gatewayPort: 30111)
    .AddTaskFlowMemoryStorage().UseInMemoryReminderService()
    .AddTaskFlow(taskFlow => taskFlow
        .AddTask("math.add", (long x, long y) => x + y)
        .AddTask<Double>()));

using var host = builder.Build();
await host.StartAsync();
try
{
    var client = new TaskFlowClient(host.Services.GetRequiredService<IClusterClient>());
    FlowDefinition flow = Flow.Linear("smoke")
        .Add("math.add", provides: "sum")
        .Add<Double>("double", provides: "result", rebind: ("value", "sum"))
        .Build();
    FlowResult result = await client.RunAsync(flow, new FlowInputs { ["x"] = 2L, ["y"] = 3L });
    long value = result.Get<long>("result");
    if (value != 10)
    {
        Console.Error.WriteLine($"pack smoke: expected result 10, got {value}");
        return 1;
    }

    Console.WriteLine($"pack smoke: flow 'smoke' finished with result {value}");
    return 0;
}
finally
{
    await host.StopAsync();
}

/// <summary>A user task: doubles its input.</summary>
[TaskName("smoke.double")]
public sealed class Double : FlowTask
{
    public Task<long> ExecuteAsync(long value, CancellationToken cancellationToken) => Task.FromResult(value * 2);
}
