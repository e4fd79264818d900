using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Grains.Tests.Hosting;

// Orleans' default storage serializer (Newtonsoft JSON) writes TaskFlow's state but cannot read it back, so AddTaskFlow
// points TaskFlow's provider at the Orleans serializer. Cluster/PersistenceTests show the round trip itself.
public sealed class StorageSerializerConfiguratorTests
{
    private static IHost BuildHost(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => configure(silo.UseLocalhostClustering()));
        return builder.Build();
    }

    private static IGrainStorageSerializer? SerializerOf(IHost host, string provider) =>
        host.Services.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(provider).GrainStorageSerializer;

    [Fact]
    public void AddTaskFlow_TaskFlowProvider_UsesTheOrleansSerializer()
    {
        using var host = BuildHost(silo => silo.AddMemoryGrainStorage("taskflow").AddTaskFlow(_ => { }));

        Assert.IsType<OrleansGrainStorageSerializer>(SerializerOf(host, "taskflow"));
    }

    [Fact]
    public void AddTaskFlow_OtherProviders_KeepOrleansDefault()
    {
        using var host = BuildHost(silo => silo.AddMemoryGrainStorage("taskflow").AddMemoryGrainStorage("other").AddTaskFlow(_ => { }));

        Assert.IsNotType<OrleansGrainStorageSerializer>(SerializerOf(host, "other"));
    }

    [Fact]
    public void AddTaskFlow_RenamedProvider_FollowsStorageProviderName()
    {
        using var host = BuildHost(silo => silo
            .AddMemoryGrainStorage("flows")
            .AddMemoryGrainStorage("taskflow")
            .AddTaskFlow(taskFlow => taskFlow.Configure(options => options.StorageProviderName = "flows")));

        Assert.IsType<OrleansGrainStorageSerializer>(SerializerOf(host, "flows"));
        Assert.IsNotType<OrleansGrainStorageSerializer>(SerializerOf(host, "taskflow"));
    }

    [Fact]
    public void AddTaskFlow_HostChoseASerializer_KeepsIt()
    {
        var chosen = new ChosenSerializer();

        using var host = BuildHost(silo => silo
            .AddMemoryGrainStorage("taskflow", options => options.GrainStorageSerializer = chosen)
            .AddTaskFlow(_ => { }));

        Assert.Same(chosen, SerializerOf(host, "taskflow"));
    }

    private sealed class ChosenSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new NotSupportedException();

        public T Deserialize<T>(BinaryData input) => throw new NotSupportedException();
    }
}
