using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Samples.BootServer;

namespace TaskFlow.Orleans.Samples;

/// <summary>Registers the sample tasks and flows.</summary>
public static class SampleTasks
{
    /// <summary>Adds the boot-server tasks and flow.</summary>
    /// <param name="taskFlow">The TaskFlow builder.</param>
    /// <returns>The builder.</returns>
    public static TaskFlowBuilder AddSamples(this TaskFlowBuilder taskFlow)
    {
        taskFlow.Services.AddSingleton<FakeCloud>();
        return taskFlow
            .AddTask<AllocateIp>()
            .AddTask<CreateVolume>()
            .AddTask<BootVm>()
            .AddFlow(BootServerFlow.Name, BootServerFlow.Build);
    }
}
