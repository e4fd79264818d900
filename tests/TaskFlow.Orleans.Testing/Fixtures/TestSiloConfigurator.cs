using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Fixtures;

/// <summary>Configures each test silo: in-memory grain storage named <c>"taskflow"</c> and TaskFlow with the test tasks.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        var silo = SiloIdentity.Register(siloBuilder.Services);
        siloBuilder
            .AddMemoryGrainStorage("taskflow")
            .UseInMemoryReminderService()
            .AddTaskFlow(taskFlow => taskFlow.AddTestTasks(silo));
    }
}
