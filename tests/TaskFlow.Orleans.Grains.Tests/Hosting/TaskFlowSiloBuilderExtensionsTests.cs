using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Execution;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Tasks;
using TaskFlow.Orleans.Grains.Tests.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Hosting;

// These build the silo's host without starting it: no cluster is needed to check what AddTaskFlow registers.
public sealed class TaskFlowSiloBuilderExtensionsTests
{
    private static FlowDefinition LinearFlow() => Flow.Linear("linear").Add<AddTask>().Build();

    private static IHost BuildHost(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => configure(silo.UseLocalhostClustering()));
        return builder.Build();
    }

    [Fact]
    public void AddTaskFlow_TasksAndFlows_AreResolvableFromTheSilo()
    {
        using var host = BuildHost(silo => silo.AddTaskFlow(taskFlow => taskFlow
            .AddTask<AddTask>()
            .AddTask("double", (int x) => x * 2)
            .AddFlow("linear", LinearFlow)));

        var catalog = host.Services.GetRequiredService<TaskCatalog>();
        Assert.Same(catalog, host.Services.GetRequiredService<ITaskCatalog>());
        Assert.Equal(["double", "test.add"], catalog.TaskNames);
        Assert.Equal("linear", host.Services.GetRequiredService<FlowFactoryCatalog>().Create("linear").Name);
        Assert.NotNull(host.Services.GetRequiredService<TaskExecutor>());
    }

    [Fact]
    public void AddTaskFlow_CalledTwice_AddsToTheSameCatalogs()
    {
        using var host = BuildHost(silo => silo
            .AddTaskFlow(taskFlow => taskFlow.AddTask<AddTask>())
            .AddTaskFlow(taskFlow => taskFlow.AddTask<AsyncGreetTask>().AddFlow("linear", LinearFlow)));

        Assert.Equal(["test.add", "test.async-greet"], host.Services.GetRequiredService<TaskCatalog>().TaskNames);
        Assert.Single(host.Services.GetServices<ITaskCatalog>());
        Assert.Equal(["linear"], host.Services.GetRequiredService<FlowFactoryCatalog>().Names);
    }

    [Fact]
    public void AddTaskFlow_InvalidTask_ThrowsWhileConfiguring()
    {
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<ArgumentException>(() =>
            builder.UseOrleans(silo => silo.AddTaskFlow(taskFlow => taskFlow.AddTask<OverloadedTask>())));

        Assert.Contains(nameof(OverloadedTask), error.Message);
    }

    [Fact]
    public void AddTaskFlow_DoesNotRegisterGrainStorage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddTaskFlow(_ => { }));

        Assert.DoesNotContain(builder.Services, d => d.IsKeyedService && Equals(d.ServiceKey, TaskFlowOptions.DefaultStorageProviderName));
    }

    [Fact]
    public void Configure_Options_AreAppliedOverDefaults()
    {
        using var host = BuildHost(silo => silo.AddTaskFlow(taskFlow => taskFlow
            .Configure(options => options.ExecutorPoolSize = 8)
            .Configure(options => options.Durability = Definitions.Durability.Relaxed)));

        var options = host.Services.GetRequiredService<IOptions<TaskFlowOptions>>().Value;

        Assert.Equal(8, options.ExecutorPoolSize);
        Assert.Equal(Definitions.Durability.Relaxed, options.Durability);
        Assert.Equal(512, options.MaxRunsPerTransaction);
        Assert.Equal(4096, options.EventBufferSize);
        Assert.Equal("taskflow", options.StorageProviderName);
    }

    [Fact]
    public void Configure_InvalidOptions_FailValidationWithTheValidatorsMessage()
    {
        using var host = BuildHost(silo => silo.AddTaskFlow(taskFlow => taskFlow
            .Configure(options => options.ExecutorPoolSize = 0)));

        var error = Assert.Throws<OptionsValidationException>(() =>
            host.Services.GetRequiredService<IOptions<TaskFlowOptions>>().Value);

        Assert.Contains("ExecutorPoolSize is 0", error.Message);
    }

    [Fact]
    public void FlowFactoryCatalog_UnknownName_ThrowsTaskNotRegisteredListingFlows()
    {
        var flows = new FlowFactoryCatalog();
        flows.Add("linear", LinearFlow);

        var error = Assert.Throws<TaskNotRegisteredException>(() => flows.Create("boot-server"));

        Assert.Equal("boot-server", error.Name);
        Assert.Contains("Registered flows: linear", error.Message);
        Assert.Contains("AddFlow", error.Message);
        Assert.False(flows.TryGet("boot-server", out _));
    }

    [Fact]
    public void FlowFactoryCatalog_DuplicateName_Throws()
    {
        var flows = new FlowFactoryCatalog();
        flows.Add("linear", LinearFlow);

        var error = Assert.Throws<ArgumentException>(() => flows.Add("linear", LinearFlow));

        Assert.Contains("'linear' is already registered", error.Message);
    }
}
