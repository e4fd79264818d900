using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TaskFlow.Orleans.Samples.Hosting;

var builder = Host.CreateApplicationBuilder(args);
var settings = builder.Configuration.GetSection("Silo").Get<SiloSettings>() ?? new SiloSettings();
builder.UseOrleans(silo => SiloHosting.Configure(silo, settings));
using var host = builder.Build();
await host.RunAsync();
