using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Samples.Hosting;

// appsettings.json sits next to the program; run from any directory (relative paths such as Silo:SqlitePath still
// resolve against the working directory).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
SiloSettings settings;
try
{
    settings = SiloHosting.Read(builder.Configuration);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

builder.UseOrleans(silo => SiloHosting.Configure(silo, settings));
// Engine settings (durability, executor spread, ...) from the TaskFlow section, e.g.
// TaskFlow__Durability=Relaxed to trade TaskFlow's save order for latency.
builder.Services.Configure<TaskFlowOptions>(builder.Configuration.GetSection("TaskFlow"));
using var host = builder.Build();
try
{
    await host.RunAsync();
    return 0;
}
catch (TaskFlow.Orleans.TaskFlowException exception)
{
    // A database that cannot be used, a missing table: the message names it and the fix.
    Console.Error.WriteLine(exception.Message);
    return 3;
}
