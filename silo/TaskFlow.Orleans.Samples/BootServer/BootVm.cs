using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Samples.BootServer;

/// <summary>Boots a VM from an image with an address and volumes; fails for an image that does not exist.</summary>
[TaskName("compute.boot-vm")]
public sealed class BootVm(FakeCloud cloud) : FlowTask
{
    /// <summary>Boots the VM and returns its id.</summary>
    public async Task<string> ExecuteAsync(string image, string ip, string root, string data, CancellationToken cancellationToken)
    {
        await Task.Delay(FakeCloud.Latency, cancellationToken);
        return cloud.Boot(image, ip, [root, data]);
    }
}
