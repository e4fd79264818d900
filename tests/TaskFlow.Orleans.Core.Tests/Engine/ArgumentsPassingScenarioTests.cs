using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>
/// TaskFlow's test_arguments_passing.ArgumentsPassingTest, run through the pure engine. TaskFlow's <c>fetch_all</c> mixes the
/// injected inputs with the results; we keep inputs apart, so these assert the named results (and that inputs reach the
/// task). Arguments are bound when the flow is compiled, so TaskFlow's <c>MissingDependencies</c> at run time is a
/// <c>missing-requirement</c> compilation problem here, before anything runs.
/// </summary>
public sealed class ArgumentsPassingScenarioTests
{
    // TaskFlow's tests/utils tasks: TaskOneReturn returns 1, TaskMultiReturn (1, 3, 5), TaskMultiDict one value per
    // provided name (0, 1, 2 in sorted order), TaskMultiArgOneReturn x + y + z, LongArgNameTask its argument.
    private readonly FakeTaskCatalog _catalog = new FakeTaskCatalog()
        .Task("TaskOneReturn", execute: _ => 1)
        .Task("TaskMultiReturn", execute: _ => (1, 3, 5))
        .Task("TaskMultiDict", execute: _ => new Dictionary<string, object?> { ["badger"] = 0, ["mushroom"] = 1, ["snake"] = 2 })
        .Task("TaskMultiArg", required: ["x", "y", "z"])
        .Task("TaskMultiArgOneReturn", required: ["x", "y", "z"], execute: args => (int)args["x"]! + (int)args["y"]! + (int)args["z"]!)
        .Task("LongArgNameTask", required: ["long_arg_name"], execute: args => args["long_arg_name"]);

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] pairs) => TaskFlowTasks.Inputs(pairs);

    private static readonly Rebind Abc = Rebind.Create([("x", "a"), ("y", "b"), ("z", "c")]);

    private IReadOnlyDictionary<string, object?> Run(FlowBuilder flow, Dictionary<string, object?>? inputs = null)
    {
        var driver = _catalog.Drive(flow, inputs);
        driver.Start();
        Assert.Equal(FlowState.Success, driver.RunToEnd());
        return driver.Store.GetResults().Named;
    }

    private static void AssertStored(Dictionary<string, object?> expected, IReadOnlyDictionary<string, object?> named) =>
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), named.OrderBy(p => p.Key, StringComparer.Ordinal));

    private FlowCompilationException CompileFails(FlowBuilder flow, params string[] inputs) =>
        Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(flow.Build(), _catalog, inputs));

    private static void AssertMissing(FlowCompilationException exception, params string[] names)
    {
        var problems = exception.Problems.Where(p => p.Code == "missing-requirement").ToList();
        Assert.Equal(exception.Problems.Count(), problems.Count);
        Assert.Equal(names.Length, problems.Count);
        foreach (var name in names)
        {
            Assert.Contains(problems, p => p.Message.Contains($"requires '{name}'", StringComparison.Ordinal));
        }
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_save_as")]
    public void Run_ProvidesOneName_StoresTheResultUnderIt() =>
        AssertStored(Values(("first_data", 1)), Run(Flow.Linear("f").Add("TaskOneReturn", "task1", provides: "first_data")));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_save_all_in_one")]
    public void Run_OneNameForATuple_StoresTheWholeTuple() =>
        AssertStored(Values(("all_data", (1, 3, 5))), Run(Flow.Linear("f").Add("TaskMultiReturn", provides: "all_data")));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_save_several_values")]
    public void Run_SeveralNamesForATuple_StoresEachItemByPosition() =>
        AssertStored(Values(("badger", 1), ("mushroom", 3), ("snake", 5)),
            Run(Flow.Linear("f").Add("TaskMultiReturn", provides: new[] { "badger", "mushroom", "snake" })));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_save_dict")]
    public void Run_SeveralNamesForADictionary_StoresEachValueByKey() =>
        AssertStored(Values(("badger", 0), ("mushroom", 1), ("snake", 2)),
            Run(Flow.Linear("f").Add("TaskMultiDict", provides: new[] { "snake", "badger", "mushroom" })));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_arguments_passing")]
    public void Run_ArgumentsFromInputs_AreBoundByName() =>
        AssertStored(Values(("result", 14)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result"), Values(("x", 1), ("y", 4), ("z", 9), ("a", 17))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_arguments_missing")]
    public void Compile_ArgumentsMissing_ReportsEachMissingName() =>
        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskMultiArg"), "a", "b", "x"), "y", "z");

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_partial_arguments_mapping")]
    public void Run_PartialRebind_TakesThatArgumentFromTheOtherName() =>
        AssertStored(Values(("result", 30)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", rebind: ("x", "a")),
                Values(("x", 1), ("y", 4), ("z", 9), ("a", 17))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_argument_injection")]
    public void Run_InjectedArguments_NeedNoInputs() =>
        AssertStored(Values(("result", 14)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", inject: Inject.Create([("x", 1), ("y", 4), ("z", 9)]))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_argument_injection_rebind")]
    public void Run_InjectedUnderReboundNames_AreUsed() =>
        AssertStored(Values(("result", 14)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", rebind: Abc, inject: Inject.Create([("a", 1), ("b", 4), ("c", 9)]))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_argument_injection_required")]
    public void Run_ExtraRequiresInjected_AreSatisfied() =>
        AssertStored(Values(("result", 14)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", requires: new[] { "a", "b", "c" },
                inject: Inject.Create([("x", 1), ("y", 4), ("z", 9), ("a", 0), ("b", 0), ("c", 0)]))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_all_arguments_mapping")]
    public void Run_AllArgumentsRebound_IgnoreTheOriginalNames() =>
        AssertStored(Values(("result", 6)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", rebind: Rebind.Positional("a", "b", "c")),
                Values(("a", 1), ("b", 2), ("c", 3), ("x", 4), ("y", 5), ("z", 6))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_all_arguments_mapping")]
    public void Run_AllArgumentsReboundByName_IgnoreTheOriginalNames() =>
        AssertStored(Values(("result", 6)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", rebind: Abc),
                Values(("a", 1), ("b", 2), ("c", 3), ("x", 4), ("y", 5), ("z", 6))));

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_partial_arguments_mapping")]
    public void Run_ShortPositionalRebind_BindsTheRestByTheirOwnNames() =>
        AssertStored(Values(("result", 30)),
            Run(Flow.Linear("f").Add("TaskMultiArgOneReturn", provides: "result", rebind: Rebind.Positional("a")),
                Values(("x", 1), ("y", 4), ("z", 9), ("a", 17))));

    // TaskFlow keeps extra positional names as requirements of their own (for **kwargs); the issue asks for them to be
    // refused, since a C# Execute has no **kwargs to receive them.
    [Fact]
    public void Compile_PositionalRebindLongerThanTheParameters_IsRefusedNamingTheAtomAndTheFix()
    {
        var exception = CompileFails(Flow.Linear("f").Add("TaskMultiArg", name: "task1", rebind: Rebind.Positional("a", "b", "c", "d")), "a", "b", "c", "d");

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("positional-rebind-too-long", problem.Code);
        Assert.Equal("f", problem.FlowName);
        Assert.Equal("task1", problem.AtomName);
        Assert.Contains("Atom 'task1' in flow 'f' rebinds 4 names by position (a, b, c, d), but task 'TaskMultiArg' has 3 required Execute parameters (x, y, z)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Give at most 3 names", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("TaskFlow", "atom._build_rebind_mapping: extra positional names kept one to one for **kwargs")]
    public void Run_PositionalRebindLongerThanTheParameters_WithRequiredValues_KeepsTheExtraNamesAsRequirements()
    {
        IReadOnlyDictionary<string, object?>? received = null;
        _catalog.Task("kwargs", required: ["x"], takesRequiredValues: true, execute: arguments =>
        {
            received = arguments;
            return null;
        });

        Run(Flow.Linear("f").Add("kwargs", rebind: Rebind.Positional("a", "b", "c")), Values(("a", 1), ("b", 2), ("c", 3)));

        Assert.Equal(new Dictionary<string, object?> { ["x"] = 1, ["b"] = 2, ["c"] = 3 }, received!.ToDictionary());
    }

    [Fact]
    public void Compile_SameArgumentReboundByPositionAndByName_IsRefused()
    {
        var flow = Flow.Linear("f").Add("TaskMultiArg", name: "task1", rebind: Rebind.Positional("a"));
        var definition = flow.Build();
        var atom = (AtomDefinition)definition.Root!.Items[0];
        var both = definition with { Root = definition.Root with { Items = [atom with { Rebind = atom.Rebind.Add("x", "b") }] } };

        var exception = Assert.Throws<FlowCompilationException>(() => Core.Compilation.FlowCompiler.Compile(both, _catalog, ["a", "b", "y", "z"]));

        Assert.Equal("conflicting-rebind", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_invalid_argument_name_map")]
    public void Compile_RebindToAMissingName_ReportsIt() =>
        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskMultiArg", rebind: ("z", "b")), "a", "y", "c", "x"), "b");

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_invalid_argument_name_list")]
    public void Compile_PositionalRebindToAMissingName_ReportsIt() =>
        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskMultiArg", rebind: Rebind.Positional("a", "z", "b")),
            "a", "b", "c", "x"), "z");

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_long_arg_name")]
    public void Run_LongArgumentName_IsPassed() =>
        AssertStored(Values(("result", 1)),
            Run(Flow.Linear("f").Add("LongArgNameTask", requires: "long_arg_name", provides: "result"), Values(("long_arg_name", 1))));

    // ---- Revert arguments. TaskFlow keeps a second mapping for revert (revert_rebind, revert_requires); here an atom has one
    // mapping for both methods: a Revert parameter is a requirement like an Execute parameter, and rebind and requires apply
    // to both. So TaskFlow's revert_rebind and revert_requires are written as rebind and requires, and a Revert-only
    // parameter nothing provides is refused before the run starts, as TaskFlow refuses it before it runs. ----

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_revert_rebound_args_required")]
    public void Compile_RevertArgumentReboundToAMissingName_ReportsIt()
    {
        _catalog.Task("TaskMultiArgRevert", required: ["x", "y", "z"]);

        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskMultiArgRevert", rebind: ("z", "b")), "a", "y", "c", "x"), "b");
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_revert_required_args_required")]
    public void Compile_ExtraRevertRequirementMissing_ReportsIt() =>
        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskMultiArg", requires: "a"), "y", "z", "x"), "a");

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_derived_revert_args_required")]
    public void RevertOnlyParameter_MissingIsRefused_ProvidedTheRunRevertsWithIt()
    {
        // Execute(x, y, z) raises; Revert(x, y, z, revert_arg) also needs revert_arg (the signature lists it as required).
        IReadOnlyDictionary<string, object?>? revertedWith = null;
        _catalog.Task("TaskRevertExtraArgs", required: ["x", "y", "z", "revert_arg"],
            execute: _ => throw new InvalidOperationException("Woot!"), revert: arguments => revertedWith = arguments);

        AssertMissing(CompileFails(Flow.Linear("f").Add("TaskRevertExtraArgs"), "y", "z", "x"), "revert_arg");

        var driver = _catalog.Drive(Flow.Linear("f").Add("TaskRevertExtraArgs"), Values(("y", 4), ("z", 9), ("x", 17), ("revert_arg", null)));
        driver.Start();
        Assert.Equal(FlowState.Reverted, driver.RunToEnd());
        Assert.True(revertedWith!.ContainsKey("revert_arg"));
        Assert.Null(revertedWith["revert_arg"]);
    }
}
