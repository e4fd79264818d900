using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>
/// Makes the grain storage provider that holds TaskFlow's state (<see cref="TaskFlowOptions.StorageProviderName"/>) store it
/// with the Orleans serializer, unless the host chose a serializer for that provider itself.
/// </summary>
/// <remarks>
/// <para>Orleans' default storage serializer is Newtonsoft JSON. It writes flow and storage state but cannot read it back:
/// immutable dictionaries (a flow definition's inject and rebind) fail with "Cannot preserve reference to readonly
/// dictionary", and boxed results lose their type (an <c>int</c> comes back as a <c>long</c>). So a flow could not be
/// reactivated after a deactivation or a silo restart. The Orleans serializer round-trips every state type, and it is the
/// format the stable <c>[Id(n)]</c> rules protect.</para>
/// <para>Registered for every options type as an open generic, because each provider has its own options class
/// (<c>MemoryGrainStorageOptions</c>, <c>AdoNetGrainStorageOptions</c>, ...); it only acts on options that implement
/// <see cref="IStorageProviderSerializerOptions"/> under TaskFlow's provider name. It runs as a configure step, before
/// Orleans' post-configure default, and leaves a serializer the host set before it alone.</para>
/// </remarks>
/// <typeparam name="TOptions">Any options type.</typeparam>
/// <param name="services">The silo's services; TaskFlow's options and the serializer are resolved only when needed.</param>
internal sealed class StorageSerializerConfigurator<TOptions>(IServiceProvider services) : IConfigureNamedOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public void Configure(string? name, TOptions options)
    {
        // Checked before resolving anything: resolving TaskFlowOptions while TaskFlowOptions are built would be circular.
        if (options is not IStorageProviderSerializerOptions { GrainStorageSerializer: null } storage)
        {
            return;
        }

        var providerName = services.GetRequiredService<IOptions<TaskFlowOptions>>().Value.StorageProviderName;
        if (string.Equals(name, providerName, StringComparison.Ordinal))
        {
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        }
    }

    /// <inheritdoc />
    public void Configure(TOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}
