using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Samples.BootServer;

/// <summary>The sample flow: lease an address and create two volumes in parallel, then boot a VM from an image.</summary>
public static class BootServerFlow
{
    /// <summary>The factory name the silo registers the flow under.</summary>
    public const string Name = "boot-server";

    /// <summary>Builds the flow; inputs: <c>network</c> and <c>golden-image</c>.</summary>
    public static FlowDefinition Build() =>
        Flow.Linear(Name)
            .Add<AllocateIp>("allocate-ip", provides: "ip")
            .Add(Flow.Unordered("volumes")
                .Add<CreateVolume>("root-volume", provides: "root", inject: ("sizeGb", 20))
                .Add<CreateVolume>("data-volume", provides: "data", inject: ("sizeGb", 200)))
            .Add<BootVm>("boot-vm", provides: "vm", rebind: ("image", "golden-image"))
            .Build();
}
