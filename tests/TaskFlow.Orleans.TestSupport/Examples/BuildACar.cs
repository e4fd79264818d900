using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Testing.Examples;

/// <summary>
/// TaskFlow's <c>examples/build_a_car.py</c>: plain functions registered as delegate tasks (TaskFlow's <c>FunctorTask</c>),
/// a graph flow that builds parts and installs them in dependency order, then a verification against a spec that
/// reverts the whole car when it does not match.
/// </summary>
/// <remarks>The original's snake_case symbols are camelCase here (<c>engine_installed</c> is <c>engineInstalled</c>).</remarks>
public static class BuildACar
{
    /// <summary>The registered flow factory name.</summary>
    public const string FlowName = "examples.build-a-car";

    /// <summary>The message <c>verify</c> fails with.</summary>
    public const string MismatchMessage = "Car doesn't match spec!";

    /// <summary>The spec the original orders: what each part must be.</summary>
    /// <returns>A new spec.</returns>
    public static Dictionary<string, object?> Spec() => new(StringComparer.Ordinal)
    {
        ["frame"] = "steel",
        ["engine"] = "honda",
        ["doors"] = "2",
        ["wheels"] = "4",
        ["engineInstalled"] = true,
        ["doorsInstalled"] = true,
        ["windowsInstalled"] = true,
        ["wheelsInstalled"] = true,
    };

    /// <summary>The flow, as the original's <c>make-auto</c>.</summary>
    /// <returns>The definition.</returns>
    public static FlowDefinition Build() =>
        Flow.Linear("make-auto")
            .Add("car.startup", "startup", provides: "ran")
            .Add(Flow.Graph("install-parts")
                .Add("car.build-frame", "build-frame", provides: "frame")
                .Add("car.build-engine", "build-engine", provides: "engine")
                .Add("car.build-doors", "build-doors", provides: "doors")
                .Add("car.build-wheels", "build-wheels", provides: "wheels")
                .Add("car.install-engine", "install-engine", provides: "engineInstalled")
                .Add("car.install-doors", "install-doors", provides: "doorsInstalled")
                .Add("car.install-windows", "install-windows", provides: "windowsInstalled")
                .Add("car.install-wheels", "install-wheels", provides: "wheelsInstalled"))
            .Add("car.verify", "verify")
            .Build();

    /// <summary>Registers the functions as delegate tasks and the flow as a factory.</summary>
    /// <param name="taskFlow">The silo's TaskFlow builder.</param>
    /// <param name="silo">The silo the delegates run on, for the journal.</param>
    /// <returns>The builder.</returns>
    public static TaskFlowBuilder AddBuildACar(this TaskFlowBuilder taskFlow, SiloIdentity silo)
    {
        ArgumentNullException.ThrowIfNull(taskFlow);
        ArgumentNullException.ThrowIfNull(silo);

        // Every function also gets a revert that only records it, so tests see the revert order; "startup" reverts
        // with the original's "trash".
        Delegate RevertOf<T>(string taskName) =>
            (TaskContext context, TaskOutcome<T> outcome, IReadOnlyDictionary<string, Failure> flowFailures) =>
                TaskJournal.Reverted(context, taskName, silo.Value, outcome, flowFailures, []);

        return taskFlow
            .AddTask("car.startup", (TaskContext context) => TaskJournal.Executed(context, "car.startup", silo.Value, true), RevertOf<bool>("car.startup"))
            .AddTask("car.build-frame", (TaskContext context) => TaskJournal.Executed(context, "car.build-frame", silo.Value, "steel"), RevertOf<string>("car.build-frame"))
            .AddTask("car.build-engine", (TaskContext context) => TaskJournal.Executed(context, "car.build-engine", silo.Value, "honda"), RevertOf<string>("car.build-engine"))
            .AddTask("car.build-doors", (TaskContext context) => TaskJournal.Executed(context, "car.build-doors", silo.Value, "2"), RevertOf<string>("car.build-doors"))
            .AddTask("car.build-wheels", (TaskContext context) => TaskJournal.Executed(context, "car.build-wheels", silo.Value, "4"), RevertOf<string>("car.build-wheels"))
            .AddTask("car.install-engine",
                (string frame, string engine, TaskContext context) =>
                    TaskJournal.Executed(context, "car.install-engine", silo.Value, true, ("frame", frame), ("engine", engine)),
                RevertOf<bool>("car.install-engine"))
            .AddTask("car.install-doors",
                (string frame, bool windowsInstalled, string doors, TaskContext context) =>
                    TaskJournal.Executed(context, "car.install-doors", silo.Value, true, ("frame", frame), ("windowsInstalled", windowsInstalled), ("doors", doors)),
                RevertOf<bool>("car.install-doors"))
            .AddTask("car.install-windows",
                (string frame, string doors, TaskContext context) =>
                    TaskJournal.Executed(context, "car.install-windows", silo.Value, true, ("frame", frame), ("doors", doors)),
                RevertOf<bool>("car.install-windows"))
            .AddTask("car.install-wheels",
                (string frame, string engine, bool engineInstalled, string wheels, TaskContext context) =>
                    TaskJournal.Executed(context, "car.install-wheels", silo.Value, true,
                        ("frame", frame), ("engine", engine), ("engineInstalled", engineInstalled), ("wheels", wheels)),
                RevertOf<bool>("car.install-wheels"))
            .AddTask("car.verify", Verify(silo), RevertOf<bool>("car.verify"))
            .AddFlow(FlowName, Build);
    }

    private static Func<IReadOnlyDictionary<string, object?>, string, string, string, string, bool, bool, bool, bool, TaskContext, bool> Verify(SiloIdentity silo) =>
        (spec, frame, engine, doors, wheels, engineInstalled, doorsInstalled, windowsInstalled, wheelsInstalled, context) =>
        {
            (string Name, object? Value)[] built =
            [
                ("frame", frame), ("engine", engine), ("doors", doors), ("wheels", wheels),
                ("engineInstalled", engineInstalled), ("doorsInstalled", doorsInstalled),
                ("windowsInstalled", windowsInstalled), ("wheelsInstalled", wheelsInstalled),
            ];

            // As the original: any part that differs from the spec throws the car away (a plain Exception).
            foreach (var (name, value) in built)
            {
                if (!Equals(spec.GetValueOrDefault(name), value))
                {
                    throw TaskJournal.ExecuteFailed(context, "car.verify", silo.Value, new Exception(MismatchMessage), [("spec", spec), .. built]);
                }
            }

            return TaskJournal.Executed(context, "car.verify", silo.Value, true, [("spec", spec), .. built]);
        };
}
