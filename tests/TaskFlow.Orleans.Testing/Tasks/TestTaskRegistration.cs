using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Testing.Examples;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Registers every test task, example task and test flow factory on a silo.</summary>
public static class TestTaskRegistration
{
    /// <summary>A registered flow factory: <c>x + y</c> then times <c>y</c>, providing <c>sum</c> and <c>product</c>.</summary>
    public const string AddThenMultiplyFlow = "testing.add-then-multiply";

    /// <summary>Adds the test tasks (<see cref="EchoTask"/>, <see cref="AdderTask"/> ...), the TaskFlow example ports and the test flows.</summary>
    /// <param name="taskFlow">The silo's TaskFlow builder.</param>
    /// <param name="silo">The silo, for delegate tasks' journal entries.</param>
    /// <returns>The builder.</returns>
    public static TaskFlowBuilder AddTestTasks(this TaskFlowBuilder taskFlow, SiloIdentity silo)
    {
        ArgumentNullException.ThrowIfNull(taskFlow);
        return taskFlow
            .AddTask<EchoTask>()
            .AddTask<AdderTask>()
            .AddTask<MultiplierTask>()
            .AddTask<FailingTask>()
            .AddTask<RevertFailingTask>()
            .AddTask<SlowTask>()
            .AddTask<GatedTask>()
            .AddTask<GatedRevertTask>()
            .AddTask<OptionalArgumentTask>()
            .AddTask<DivModTask>()
            .AddTask<ProviderTask>()
            .AddTask<NoopTask>()
            .AddTask<CallJim>()
            .AddTask<CallJoe>()
            .AddTask<CallSuzzie>()
            .AddBuildACar(silo)
            .AddFlow(AddThenMultiplyFlow, () => Flow.Linear("add-then-multiply")
                .Add<AdderTask>("add", provides: "sum")
                .Add<MultiplierTask>("multiply", provides: "product", rebind: ("x", "sum"))
                .Build());
    }
}
