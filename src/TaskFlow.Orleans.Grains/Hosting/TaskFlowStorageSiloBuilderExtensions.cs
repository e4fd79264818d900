using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>Adds grain storage for TaskFlow's flows, set up the way the engine needs it.</summary>
public static class TaskFlowStorageSiloBuilderExtensions
{
    /// <summary>Adds in-memory grain storage for flows (lost when the silo stops: for tests, benchmarks and demos).</summary>
    /// <remarks>
    /// State is stored with the Orleans binary serializer rather than the default JSON one: task results are
    /// <see cref="object"/>-typed, and binary keeps their exact types (JSON turns an <c>int</c> into a <c>long</c>), and it is
    /// several times faster for large flows.
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name; must match <see cref="TaskFlowOptions.StorageProviderName"/>.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddTaskFlowMemoryStorage(this ISiloBuilder builder, string name = TaskFlowOptions.DefaultStorageProviderName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMemoryGrainStorage(name);
        builder.Services.AddOptions<MemoryGrainStorageOptions>(name)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        return builder;
    }
}
