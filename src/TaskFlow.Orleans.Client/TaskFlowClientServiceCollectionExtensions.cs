using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace TaskFlow.Orleans.Client;

/// <summary>Registers <see cref="ITaskFlowClient"/> with dependency injection.</summary>
public static class TaskFlowClientServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ITaskFlowClient"/> over the registered Orleans <see cref="IGrainFactory"/> (a client or a silo),
    /// checking flow ids and inputs against the registered <see cref="Limits.TaskFlowLimits"/> options before sending.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTaskFlowClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITaskFlowClient>(sp => new TaskFlowClient(sp.GetRequiredService<IGrainFactory>(),
            sp.GetService<IOptions<Limits.TaskFlowLimits>>()?.Value ?? new Limits.TaskFlowLimits(), sp.GetService<Serializer>()));
        return services;
    }
}
