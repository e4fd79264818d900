using Microsoft.Extensions.Hosting;
using MySilo;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;

// Your own silo: the engine, your tasks and flows, durable storage in one SQLite file, reachable by clients on
// localhost:30000 (`taskflow run greet --input name=Ada` from another terminal). For a cluster, see README's "Clusters".
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(serviceId: "taskflow", clusterId: "dev") // what the taskflow command looks for by default
    .UseInMemoryReminderService()
    .AddTaskFlow(taskFlow => taskFlow
        .AddTask<Greet>()
        .AddTask<SendCard>()
        .AddFlow("greet", GreetFlow.Build))
    .AddTaskFlowSqlite(sqlite => sqlite.DatabasePath = ".data/my-silo.db"));
await builder.Build().RunAsync();
