using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Testing.Examples;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>Registers every test task, example task and test flow factory on a silo.</summary>
public static class TestTaskRegistration
{
    /// <summary>A registered flow factory: <c>x + y</c> then times <c>y</c>, providing <c>sum</c> and <c>product</c>.</summary>
    public const string AddThenMultiplyFlow = "testing.add-then-multiply";

    /// <summary>The description <see cref="AddThenMultiplyFlow"/> is registered with.</summary>
    public const string AddThenMultiplyDescription = "Adds x and y, then multiplies the sum by y.";

    /// <summary>A registered flow factory that throws when it is asked to build its flow.</summary>
    public const string BrokenFactoryFlow = "testing.broken-factory";

    /// <summary>A delegate task that fails until its <c>attempt</c> argument reaches <c>succeedAt</c>, then returns the attempt.</summary>
    public const string FailUntilTask = "testing.fail-until";

    /// <summary>A delegate task that reports progress 0.25 then 0.5, then waits at its gate (<see cref="Journal.TaskGates"/>) and returns 1.</summary>
    public const string ProgressTask = "testing.progress";

    /// <summary>A delegate task that requires the "gpu" capability (only the first test silo advertises it); doubles <c>value</c>.</summary>
    public const string GpuTask = "testing.gpu";

    /// <summary>A delegate task that requires the "quantum" capability, which no silo advertises.</summary>
    public const string QuantumTask = "testing.quantum";

    /// <summary>A link decider that always says no.</summary>
    public const string NeverDecider = "testing.never";

    /// <summary>A per-run link decider (it reads <see cref="DeciderContext"/>): says no for runs whose id contains "dry-run".</summary>
    public const string NotOnDryRunsDecider = "testing.not-on-dry-runs";

    /// <summary>A link decider that says yes when every source result is a positive number.</summary>
    public const string PositiveDecider = "testing.positive";

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
            .AddTask<RequiredValuesTask>()
            .AddTask<Examples.SameName.Home.CallJim>()
            .AddTask<Examples.SameName.Work.CallJim>()
            .AddTask<Examples.SameName.Work.CallJimsBoss>()
            .AddTask<CallJoe>()
            .AddTask<CallSuzzie>()
            .AddBuildACar(silo)
            .AddTask(FailUntilTask, (long attempt, long succeedAt) =>
            {
                if (attempt < succeedAt)
                {
                    throw new InvalidOperationException($"Attempt {attempt} fails; attempt {succeedAt} succeeds.");
                }

                return attempt;
            })
            .AddTask(ProgressTask, async (TaskContext context, CancellationToken cancellationToken) =>
            {
                context.ReportProgress(0.25, "a quarter");
                context.ReportProgress(0.5, "half way");
                await Journal.TaskGates.PassAsync(context.FlowId, context.AtomName, cancellationToken);
                return 1L;
            })
            .AddTask(GpuTask, (long value) => value * 2, capability: "gpu")
            .AddTask(QuantumTask, (long value) => value, capability: "quantum")
            .AddDecider(NeverDecider, _ => false)
            .AddDecider(NotOnDryRunsDecider, new NotOnDryRuns())
            .AddDecider(PositiveDecider, results => results.Values.All(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) > 0))
            .AddFlow(AddThenMultiplyFlow, () => Flow.Linear("add-then-multiply")
                .Add<AdderTask>("add", provides: "sum")
                .Add<MultiplierTask>("multiply", provides: "product", rebind: ("x", "sum"))
                .Build(), AddThenMultiplyDescription)
            .AddFlow(BrokenFactoryFlow, () => throw new InvalidOperationException("This factory cannot build its flow."));
    }

    private sealed class NotOnDryRuns : ILinkDecider
    {
        public bool Decide(DeciderContext context) => !context.FlowId.Contains("dry-run", StringComparison.Ordinal);
    }
}
