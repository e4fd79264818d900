using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Samples.BootServer;

/// <summary>Creates a block volume; revert deletes it.</summary>
[TaskName("storage.create-volume")]
public sealed class CreateVolume(FakeCloud cloud) : FlowTask
{
    /// <summary>Creates a volume of the given size.</summary>
    public async Task<string> ExecuteAsync(int sizeGb, CancellationToken cancellationToken)
    {
        await Task.Delay(FakeCloud.Latency, cancellationToken);
        return cloud.CreateVolume(sizeGb, Context.ExecutionId);
    }

    /// <summary>Deletes the volume if it was created.</summary>
    public async Task RevertAsync(TaskOutcome<string> outcome, CancellationToken cancellationToken)
    {
        await Task.Delay(FakeCloud.Latency, cancellationToken);
        if (outcome.IsSuccess)
        {
            cloud.DeleteVolume(outcome.Value!);
        }
    }
}
