using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.MembershipService.SiloMetadata;
using TaskFlow.Orleans.Cluster;
using TaskFlow.Orleans.Grains.Execution;

namespace TaskFlow.Orleans.Grains.Cluster;

/// <summary>Describes the cluster from Orleans' membership (<see cref="IManagementGrain"/>) and each active silo's answer
/// about itself (<see cref="ISiloInfoGrain"/>) (see <see cref="IClusterGrain"/>).</summary>
/// <remarks>Silos are asked in parallel, each for at most <see cref="SiloAnswerTimeout"/>: a silo that does not answer is
/// still listed, with its membership status, and left out of the catalog.</remarks>
[StatelessWorker]
internal sealed partial class ClusterGrain(ISiloMetadataCache metadata, ILogger<ClusterGrain> logger) : Grain, IClusterGrain
{
    /// <summary>The longest one silo is waited for.</summary>
    internal static readonly TimeSpan SiloAnswerTimeout = TimeSpan.FromSeconds(10);

    public async Task<ClusterView> GetClusterAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var silos = await Task.WhenAll(hosts.Select(ViewAsync));
        return new ClusterView
        {
            Silos = [.. silos
                .OrderBy(s => s.Status == nameof(SiloStatus.Active) ? 0 : 1)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .ThenBy(s => s.Address, StringComparer.Ordinal)],
        };
    }

    public async Task<FlowCatalog> GetCatalogAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var answers = await Task.WhenAll(hosts.Keys.Select(AskAsync));
        var tasks = new SortedDictionary<string, TaskView>(StringComparer.Ordinal);
        var factories = new SortedDictionary<string, FactoryView>(StringComparer.Ordinal);
        foreach (var info in answers.OfType<SiloInfo>())
        {
            foreach (var task in info.Tasks)
            {
                // Silos should register the same tasks; where they differ, the first description is kept and the
                // capabilities are merged, so a task is shown as runnable wherever some silo may run it.
                tasks[task.Name] = tasks.TryGetValue(task.Name, out var known)
                    ? known with { Capabilities = [.. known.Capabilities.Union(task.Capabilities, StringComparer.Ordinal).Order(StringComparer.Ordinal)] }
                    : task;
            }

            foreach (var factory in info.Factories)
            {
                if (!factories.TryGetValue(factory.Name, out var known)
                    || (known.Description is null && factory.Description is not null)
                    || (known.Requires.IsEmpty && known.Provides.IsEmpty && !(factory.Requires.IsEmpty && factory.Provides.IsEmpty)))
                {
                    factories[factory.Name] = factory;
                }
            }
        }

        return new FlowCatalog { Factories = [.. factories.Values], Tasks = [.. tasks.Values] };
    }

    private async Task<SiloView> ViewAsync(MembershipEntry entry)
    {
        var view = new SiloView
        {
            Address = entry.SiloAddress.ToString(),
            Name = entry.SiloName,
            Status = entry.Status.ToString(),
            StartedAt = entry.StartTime == default ? null : new DateTimeOffset(DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc)),
        };
        if (entry.Status != SiloStatus.Active)
        {
            return view;
        }

        if (await AskAsync(entry.SiloAddress) is not { } info)
        {
            return view with { Capabilities = CapabilitiesOf(entry.SiloAddress) };
        }

        return view with
        {
            Capabilities = info.Capabilities,
            Tasks = [.. info.Tasks.Select(t => t.Name)],
            Factories = [.. info.Factories.Select(f => f.Name)],
            ActiveFlows = info.ActiveFlows,
        };
    }

    /// <summary>Asks one silo about itself; <see langword="null"/> when it does not answer in time (it is stopping, or has no
    /// TaskFlow).</summary>
    private async Task<SiloInfo?> AskAsync(SiloAddress silo)
    {
        try
        {
            return await GrainFactory.GetGrain<ISiloInfoGrain>(silo.ToParsableString()).GetInfoAsync().WaitAsync(SiloAnswerTimeout);
        }
        catch (Exception exception)
        {
            LogSiloDidNotAnswer(exception, silo.ToString());
            return null;
        }
    }

    /// <summary>The capabilities a silo advertises, from the cluster's silo metadata (what routed executors are placed by).</summary>
    private ImmutableArray<string> CapabilitiesOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(CapabilityPlacementStrategy.MetadataKey, out var list)
            ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)]
            : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} did not answer about itself; it is listed from membership only")]
    private partial void LogSiloDidNotAnswer(Exception exception, string silo);
}
