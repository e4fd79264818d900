using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;
using TaskFlow.Orleans.Cluster;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Grains.Execution;
using TaskFlow.Orleans.Grains.Flows;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Cluster;

/// <summary>Answers about the silo it is placed on: its catalogs, the capabilities in its metadata, and the runs its engines
/// drive (see <see cref="ISiloInfoGrain"/>).</summary>
/// <remarks>The catalogs do not change once a silo runs, so they are described once per activation; the run count is read
/// at every call.</remarks>
[SiloPinnedPlacement]
internal sealed class SiloInfoGrain(TaskCatalog tasks, FlowFactoryCatalog factories, IOptions<SiloMetadata> metadata, ActiveRuns runs)
    : Grain, ISiloInfoGrain
{
    private SiloInfo? _catalog;

    public Task<SiloInfo> GetInfoAsync()
    {
        _catalog ??= new SiloInfo
        {
            Identity = RuntimeIdentity,
            Capabilities = metadata.Value.Metadata.TryGetValue(CapabilityPlacementStrategy.MetadataKey, out var list)
                ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)]
                : [],
            Tasks = [.. tasks.TaskNames.Select(DescribeTask)],
            Factories = [.. factories.Names.Select(DescribeFactory)],
        };
        return Task.FromResult(_catalog with { ActiveFlows = runs.Count });
    }

    private TaskView DescribeTask(string name)
    {
        var signature = tasks.TryGetSignature(name, out var found) ? found : null;
        return new TaskView
        {
            Name = name,
            Requires = signature?.Required ?? [],
            Optional = signature?.Optional ?? [],
            Provides = signature?.DefaultProvides ?? [],
            Capabilities = signature?.Capability is { } capability ? [capability] : [],
        };
    }

    /// <summary>A factory with what the flow it builds requires and provides; a factory that throws, or builds a flow this
    /// silo cannot describe, is listed without them (starting it reports why).</summary>
    private FactoryView DescribeFactory(string name)
    {
        var view = new FactoryView { Name = name, Description = factories.DescriptionOf(name) };
        try
        {
            var definition = factories.Create(name);
            if (FlowCompiler.Describe(definition, tasks).TryGetValue(definition.Name, out var symbols))
            {
                return view with { Requires = [.. symbols.Requires], Provides = [.. symbols.Provides] };
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // User code: whatever it throws, the catalog still lists the factory.
        }

        return view;
    }
}
