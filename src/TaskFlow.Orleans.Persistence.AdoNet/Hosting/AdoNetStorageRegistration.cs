using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Storage;

namespace TaskFlow.Orleans.Persistence.AdoNet.Hosting;

/// <summary>Registers the Orleans ADO.NET grain storage the way TaskFlow needs it, behind <see cref="TaskFlowGrainStorage"/>.</summary>
internal static class AdoNetStorageRegistration
{
    /// <summary>The name under which the wrapped ADO.NET provider itself is registered.</summary>
    public static string InnerName(string name) => name + ".adonet";

    public static void AddStorage(IServiceCollection services, string name, string invariant, string connectionString, StorageFaultPolicy policy)
    {
        var innerName = InnerName(name);
        services.AddAdoNetGrainStorage(innerName, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
            // The Orleans binary serializer, as for memory storage: task results are object-typed, and JSON would turn an
            // int into a long (and it is slower and larger for big flows).
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // Clearing deletes the row, so a cleared record reads like one never written (as in memory storage).
            o.DeleteStateOnClear = true;
        }));
        services.AddGrainStorage(name, (sp, providerName) => new TaskFlowGrainStorage(
            sp.GetRequiredKeyedService<IGrainStorage>(innerName), providerName, policy, sp.GetRequiredService<ILogger<TaskFlowGrainStorage>>()));
    }

    /// <summary>Makes <paramref name="create"/> the silo's <see cref="ILogbookStore"/>, replacing any registered before, so the
    /// last storage call wins. The factory gets the silo's <c>ClusterOptions.ServiceId</c>, which keys the rows.</summary>
    public static void AddLogbookStore(IServiceCollection services, Func<IServiceProvider, string, ILogbookStore> create)
    {
        services.RemoveAll<ILogbookStore>();
        services.AddSingleton(sp => create(sp, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
    }

    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), result.Failures);
        }
    }
}
