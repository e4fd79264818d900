using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Orleans.Client;

/// <summary>Registers <see cref="ITaskFlowClient"/> with dependency injection.</summary>
public static class TaskFlowClientServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ITaskFlowClient"/> over the registered Orleans <see cref="IGrainFactory"/> (a client or a silo).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTaskFlowClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITaskFlowClient>(sp => new TaskFlowClient(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }
}
