using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>Places a routed executor (<c>"capability/n"</c>) on a random silo that advertises the capability.</summary>
[GenerateSerializer]
[Alias("taskflow.CapabilityPlacementStrategy")]
internal sealed class CapabilityPlacementStrategy : PlacementStrategy
{
    /// <summary>The silo-metadata key a silo lists its capabilities under (comma-separated).</summary>
    public const string MetadataKey = "taskflow.capabilities";

    internal static readonly CapabilityPlacementStrategy Instance = new();
}

/// <summary>Marks a grain class to be placed by <see cref="CapabilityPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class CapabilityPlacementAttribute() : PlacementAttribute(CapabilityPlacementStrategy.Instance);

/// <summary>Chooses, for a routed executor, a random compatible silo whose metadata lists the capability in its key.</summary>
/// <param name="metadata">The cluster's silo metadata.</param>
internal sealed class CapabilityPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var capability = key[..Math.Max(0, key.IndexOf('/'))];
        var candidates = context.GetCompatibleSilos(target)
            .Where(silo => Advertises(metadata.GetSiloMetadata(silo), capability))
            .ToArray();
        if (candidates.Length == 0)
        {
            throw new TaskNotRegisteredException(capability,
                $"No silo advertises capability '{capability}', which a task of this flow requires. Start a silo with " +
                $"AddTaskFlow(t => t.AdvertiseCapabilities(\"{capability}\")), or remove [RequiresCapability(\"{capability}\")] from the task.");
        }

        return Task.FromResult(candidates[Random.Shared.Next(candidates.Length)]);
    }

    private static bool Advertises(SiloMetadata silo, string capability) =>
        silo.Metadata.TryGetValue(CapabilityPlacementStrategy.MetadataKey, out var list)
        && list.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(capability, StringComparer.Ordinal);
}
