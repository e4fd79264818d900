using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace TaskFlow.Orleans.Grains.Cluster;

/// <summary>Places a grain keyed by a silo address (<see cref="SiloAddress.ToParsableString"/>) on that very silo, so a
/// caller can ask one particular silo about itself.</summary>
/// <remarks>Orleans' own per-silo targets (grain services, system targets) are reached only from inside a silo through
/// internal or silo-only APIs; a plain grain pinned to a silo is reachable the ordinary way, and goes when its silo goes.</remarks>
[GenerateSerializer]
[Alias("taskflow.SiloPinnedPlacementStrategy")]
internal sealed class SiloPinnedPlacementStrategy : PlacementStrategy
{
    internal static readonly SiloPinnedPlacementStrategy Instance = new();
}

/// <summary>Marks a grain class to be placed by <see cref="SiloPinnedPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacementStrategy.Instance);

/// <summary>Places a silo-pinned grain on the silo its key names, or refuses when that silo is not an active, compatible one.</summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.ToParsableString() == key)
            {
                return Task.FromResult(silo);
            }
        }

        throw new SiloUnavailableException(
            $"Silo {key} is not an active silo of the cluster with TaskFlow on it, so it cannot be asked about itself. " +
            "List the cluster again (GetClusterAsync) to see which silos are active.");
    }
}
