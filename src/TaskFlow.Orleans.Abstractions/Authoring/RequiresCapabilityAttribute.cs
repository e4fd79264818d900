namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// Routes a task to silos that advertise a capability (TaskFlow's worker topics): its executes and reverts run only on
/// silos registered with <c>AdvertiseCapabilities("gpu")</c>. With no such silo the atom fails with a Failure naming the
/// capability; it does not hang.
/// </summary>
/// <param name="capability">The capability, e.g. <c>gpu</c>: letters, digits, '-', '_' and '.'.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresCapabilityAttribute(string capability) : Attribute
{
    /// <summary>The capability.</summary>
    public string Capability { get; } = capability;
}
