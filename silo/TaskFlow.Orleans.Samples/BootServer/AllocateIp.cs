using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Samples.BootServer;

/// <summary>Leases an IP address on a network; revert releases it.</summary>
[TaskName("compute.allocate-ip")]
public sealed class AllocateIp(FakeCloud cloud) : FlowTask
{
    /// <summary>Leases an address.</summary>
    public async Task<string> ExecuteAsync(string network, CancellationToken cancellationToken)
    {
        await Task.Delay(FakeCloud.Latency, cancellationToken);
        return cloud.LeaseIp(network, Context.ExecutionId);
    }

    /// <summary>Releases the address if one was leased.</summary>
    public async Task RevertAsync(string network, TaskOutcome<string> outcome, CancellationToken cancellationToken)
    {
        await Task.Delay(FakeCloud.Latency, cancellationToken);
        if (outcome.IsSuccess)
        {
            cloud.ReleaseIp(outcome.Value!);
        }
    }
}
