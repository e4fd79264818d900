using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

/// <summary>
/// TaskFlow's test_flow_dependencies.FlowDependenciesTest, ported onto <see cref="FlowCompiler.Describe"/>: the requires and
/// provides each pattern computes. TaskFlow checks dependency conflicts when items are added to a flow; we check them when the
/// flow is compiled, so those scenarios assert the compilation problem we report (or, where we deliberately accept the flow,
/// what it then requires and provides) and say so.
/// </summary>
public sealed class FlowDependenciesScenarioTests
{
    // TaskFlow's tests/utils tasks, by the arguments they take; none provides anything unless told to.
    private readonly FakeTaskCatalog _catalog = new FakeTaskCatalog()
        .Task("TaskNoRequiresNoReturns")
        .Task("TaskOneArg", required: ["x"])
        .Task("TaskMultiArg", required: ["x", "y", "z"])
        .Task("TaskOneReturn")
        .Task("TaskMultiReturn")
        .Task("TaskOneArgOneReturn", required: ["x"])
        .Task("TaskMultiArgOneReturn", required: ["x", "y", "z"])
        .Task("TaskMultiArgMultiReturn", required: ["x", "y", "z"]);

    private static Rebind Positional(params (string Argument, string Source)[] pairs) => Rebind.Create(pairs);

    private static readonly Rebind Abc = Positional(("x", "a"), ("y", "b"), ("z", "c"));

    private FlowItemSymbols Describe(FlowBuilder flow, string? item = null)
    {
        var definition = flow.Build();
        return FlowCompiler.Describe(definition, _catalog)[item ?? definition.Root.Name];
    }

    private static void AssertSymbols(FlowItemSymbols symbols, string[] requires, string[] provides)
    {
        Assert.Equal(requires.ToHashSet(StringComparer.Ordinal), symbols.Requires.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(provides.ToHashSet(StringComparer.Ordinal), symbols.Provides.ToHashSet(StringComparer.Ordinal));
    }

    private static RetryDefinition AlwaysRevert(string name, string[]? requires = null, string[]? provides = null) =>
        Retry.AlwaysRevert(name, provides: provides ?? []) with { Requires = [.. requires ?? []] };

    private static FlowBuilder Pattern(PatternKind kind, string name) => kind switch
    {
        PatternKind.Linear => Flow.Linear(name),
        PatternKind.Unordered => Flow.Unordered(name),
        _ => Flow.Graph(name),
    };

    // ---- single tasks ----

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_without_dependencies")]
    public void Task_WithoutDependencies_RequiresAndProvidesNothing() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskNoRequiresNoReturns", "t"), "t"), [], []);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_requires_default_values")]
    public void Task_RequiresItsArguments() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t"), "t"), ["x", "y", "z"], []);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_requires_rebinded_mapped")]
    public void Task_Rebound_RequiresTheSourceNames() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t", rebind: Abc), "t"), ["a", "b", "c"], []);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_requires_additional_values")]
    public void Task_ExtraRequires_AreAddedToItsArguments() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t", requires: new[] { "a", "b" }), "t"), ["a", "b", "x", "y", "z"], []);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_provides_values")]
    public void Task_Provides_ProvidesThoseNames() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiReturn", "t", provides: new[] { "a", "b", "c" }), "t"), [], ["a", "b", "c"]);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_task_provides_and_requires_values")]
    public void Task_ProvidesAndRequires() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArgMultiReturn", "t", provides: new[] { "a", "b", "c" }), "t"),
            ["x", "y", "z"], ["a", "b", "c"]);

    // ---- the same scenarios for each pattern ----

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_without_dependencies")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_without_dependencies")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_without_dependencies")]
    public void Pattern_WithoutDependencies_RequiresAndProvidesNothing(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskNoRequiresNoReturns", "task1").Add("TaskNoRequiresNoReturns", "task2")), [], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_requires_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_requires_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_requires_values")]
    public void Pattern_RequiresWhatItsTasksRequire(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneArg", "task1").Add("TaskMultiArg", "task2")), ["x", "y", "z"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_requires_rebind_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_requires_rebind_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_requires_rebind_values")]
    public void Pattern_RequiresReboundNames(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneArg", "task1", rebind: ("x", "q")).Add("TaskMultiArg", "task2")),
            ["q", "x", "y", "z"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_provides_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_provides_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_provides_values")]
    public void Pattern_ProvidesWhatItsTasksProvide(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
            .Add("TaskOneReturn", "task1", provides: "x")
            .Add("TaskMultiReturn", "task2", provides: new[] { "a", "b", "c" })), [], ["a", "b", "c", "x"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_provides_required_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_provides_required_values")]
    public void Pattern_RequirementProvidedInside_IsNotRequired(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneReturn", "task1", provides: "x").Add("TaskOneArg", "task2")), [], ["x"]);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_multi_provides_and_requires_values")]
    public void Linear_MultiProvidesAndRequires_LaterTaskUsesEarlierProvides() =>
        AssertSymbols(Describe(Flow.Linear("lf")
                .Add("TaskMultiArgMultiReturn", "task1", rebind: Abc, provides: new[] { "x", "y", "q" })
                .Add("TaskMultiArgMultiReturn", "task2", provides: new[] { "i", "j", "k" })),
            ["a", "b", "c", "z"], ["i", "j", "k", "q", "x", "y"]);

    [Theory]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_multi_provides_and_requires_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_multi_provides_and_requires_values")]
    public void UnorderedAndGraph_MultiProvidesAndRequires(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .Add("TaskMultiArgMultiReturn", "task1", rebind: Abc, provides: new[] { "d", "e", "f" })
                .Add("TaskMultiArgMultiReturn", "task2", provides: new[] { "i", "j", "k" })),
            ["a", "b", "c", "x", "y", "z"], ["d", "e", "f", "i", "j", "k"]);

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_nested_flows_requirements")]
    public void NestedFlows_RequireWhatNoInnerItemProvides() =>
        AssertSymbols(Describe(Flow.Unordered("uf")
                .Add(Flow.Linear("lf")
                    .Add("TaskOneArgOneReturn", "task1", rebind: ("x", "a"), provides: "x")
                    .Add("TaskOneArgOneReturn", "task2", provides: "y"))
                .Add(Flow.Unordered("uf2")
                    .Add("TaskOneArgOneReturn", "task3", rebind: ("x", "b"), provides: "z")
                    .Add("TaskOneArgOneReturn", "task4", rebind: ("x", "c"), provides: "q"))),
            ["a", "b", "c"], ["q", "x", "y", "z"]);

    // ---- retries ----

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_linear_flow_no_requirements_no_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_unordered_flow_no_requirements_no_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_graph_flow_no_requirements_no_provides")]
    public void Retry_WithoutSymbols_PatternRequiresAndProvidesNothing(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt")).Add("TaskNoRequiresNoReturns", "t")), [], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_linear_flow_with_requirements")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_unordered_flow_with_requirements")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_graph_flow_with_requirements")]
    public void Retry_Requires_PatternRequiresThem(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt", requires: ["x", "y"])).Add("TaskNoRequiresNoReturns", "t")),
            ["x", "y"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_linear_flow_with_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_unordered_flow_with_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_graph_flow_with_provides")]
    public void Retry_Provides_PatternProvidesThem(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt", provides: ["x", "y"])).Add("TaskNoRequiresNoReturns", "t")),
            [], ["x", "y"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_linear_flow_requires_and_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_unordered_flow_requires_and_provides")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_retry_in_graph_flow_requires_and_provides")]
    public void Retry_RequiresAndProvides_PatternHasBoth(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .WithRetry(AlwaysRevert("rt", requires: ["x", "y"], provides: ["a", "b"])).Add("TaskNoRequiresNoReturns", "t")),
            ["x", "y"], ["a", "b"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_linear_flow_retry_and_task")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_unordered_flow_retry_and_task")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.test_graph_flow_retry_and_task")]
    public void RetryAndTask_RetryProvidesSatisfyTheTask(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .WithRetry(AlwaysRevert("rt", requires: ["x", "y"], provides: ["a", "b"]))
                .Add("TaskMultiArgOneReturn", "t", rebind: Positional(("x", "a"), ("y", "x"), ("z", "c")), provides: "z")),
            ["c", "x", "y"], ["a", "b", "z"]);

    // ---- conflicts: TaskFlow raises when items are added; we report at compile time, or accept what we define ----

    private FlowCompilationException CompileFails(FlowBuilder flow, string code, params string[] inputs)
    {
        var exception = Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(flow.Build(), _catalog, inputs));
        Assert.Contains(exception.Problems, problem => problem.Code == code);
        return exception;
    }

    private void Compiles(FlowBuilder flow, params string[] inputs) => FlowCompiler.Compile(flow.Build(), _catalog, inputs);

    // TaskFlow: InvariantViolation when the consumer is added before its provider. Ours: the provider is not visible from the
    // consumer, so compiling without an input of that name reports the requirement as missing and names the late provider.
    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.linear_flow_provides_out_of_order")]
    public void Linear_ConsumerBeforeProvider_ReportsMissingRequirementNamingTheProvider()
    {
        var flow = Flow.Linear("lf").Add("TaskOneArg", "task2").Add("TaskOneReturn", "task1", provides: "x");

        var problem = Assert.Single(CompileFails(flow, "missing-requirement").Problems);
        Assert.Equal("task2", problem.AtomName);
        Assert.Contains("'task1' provides 'x' but is not visible from 'task2'", problem.Message);
        AssertSymbols(Describe(flow), ["x"], ["x"]);
    }

    // TaskFlow: InvariantViolation when one item of an unordered flow needs what another provides, whichever is added first.
    // Ours: unordered items do not see each other, so the consumer needs an input; without one, the requirement is missing.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_provides_required_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_requires_provided_value_other_call")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_provides_required_value_other_call")]
    public void Unordered_ItemNeedsWhatASiblingProvides_ReportsMissingRequirement(bool providerFirst)
    {
        var flow = providerFirst
            ? Flow.Unordered("uf").Add("TaskOneReturn", "task1", provides: "x").Add("TaskOneArg", "task2")
            : Flow.Unordered("uf").Add("TaskOneArg", "task2").Add("TaskOneReturn", "task1", provides: "x");

        var problem = Assert.Single(CompileFails(flow, "missing-requirement").Problems);
        Assert.Equal("task2", problem.AtomName);
        Assert.Contains("items of an unordered flow do not see each other", problem.Message);
        AssertSymbols(Describe(flow), ["x"], ["x"]);
        Compiles(flow, "x");
    }

    // TaskFlow: DependencyFailure when two items provide the same name. Ours (docs/design.md): several items may provide a
    // name; a reader is bound to the nearest visible provider, so the flow compiles and provides the name once.
    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.linear_flow_provides_same_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.linear_flow_provides_same_values_one_add")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_provides_same_values")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_provides_same_values_one_add")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.graph_flow_provides_provided_value_other_call")]
    public void Pattern_TwoItemsProvideTheSameName_Compiles(PatternKind kind)
    {
        var flow = Pattern(kind, "p").Add("TaskOneReturn", "task1", provides: "x").Add("TaskOneReturn", "task2", provides: "x");

        Compiles(flow);
        AssertSymbols(Describe(flow), [], ["x"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.nested_flows_provides_same_values")]
    public void NestedFlows_ProvideTheSameName_Compiles()
    {
        var flow = Flow.Linear("lf")
            .Add(Flow.Unordered("uf").Add("TaskOneReturn", "task1", provides: "x"))
            .Add(Flow.Graph("gf").Add("TaskOneReturn", "task2", provides: "x"));

        Compiles(flow);
        AssertSymbols(Describe(flow), [], ["x"]);
    }

    // TaskFlow: DependencyFailure "No path ..." when the graph's requires/provides form a cycle. Ours: a cycle problem with its path.
    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.graph_cyclic_dependency")]
    public void Graph_CyclicDependency_ReportsTheCycleWithItsPath()
    {
        var flow = Flow.Graph("g-3-cyclic")
            .Add("TaskOneArgOneReturn", "t1", rebind: ("x", "b"), provides: "a")
            .Add("TaskOneArgOneReturn", "t2", rebind: ("x", "c"), provides: "b")
            .Add("TaskOneArgOneReturn", "t3", rebind: ("x", "a"), provides: "c");

        var problem = Assert.Single(CompileFails(flow, "cycle").Problems);
        Assert.Contains("Graph flow 'g-3-cyclic' has a cycle: t1 -> t3 -> t2 -> t1", problem.Message);
    }

    // TaskFlow: InvariantViolation for a task that requires and provides the same name. Ours: allowed, as TaskFlow's own
    // AddOneSameProvidesRequires: it reads the name from outside and stores its result under it.
    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.task_requires_and_provides_same_values")]
    public void Task_RequiresAndProvidesTheSameName_ReadsItFromOutside()
    {
        var flow = Flow.Linear("f").Add("TaskOneArgOneReturn", "t", requires: "a", provides: "a");

        AssertSymbols(Describe(flow, "t"), ["a", "x"], ["a"]);
        CompileFails(flow, "missing-requirement", "x");
        Compiles(flow, "a", "x");
    }

    // TaskFlow: InvariantViolation for a retry that requires and provides the same names. Ours: allowed, as for tasks.
    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.retry_requires_and_provides_same_value")]
    public void Retry_RequiresAndProvidesTheSameNames_ReadsThemFromOutside()
    {
        var flow = Flow.Linear("lf").WithRetry(AlwaysRevert("rt", requires: ["x", "y"], provides: ["x", "y"])).Add("TaskNoRequiresNoReturns", "t");

        AssertSymbols(Describe(flow), ["x", "y"], ["x", "y"]);
        CompileFails(flow, "missing-requirement");
        Compiles(flow, "x", "y");
    }

    // TaskFlow: InvariantViolation when a task of the retry's flow provides what the retry requires. Ours: the retry runs
    // before the task and cannot see it; the problem says so, and with an input of that name the flow compiles.
    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.linear_flow_retry_and_task_dependency_conflict")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_retry_and_task_dependency_conflict")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.graph_flow_retry_and_task_dependency_conflict")]
    public void RetryRequiresWhatItsTaskProvides_ReportsMissingRequirement(PatternKind kind)
    {
        var flow = Pattern(kind, "p").WithRetry(AlwaysRevert("rt", requires: ["x"])).Add("TaskOneReturn", "t", provides: "x");

        var problem = Assert.Single(CompileFails(flow, "missing-requirement").Problems);
        Assert.Equal("rt", problem.AtomName);
        Assert.Contains("'t' provides 'x' but does not run before flow 'p'", problem.Message);
        Compiles(flow, "x");
    }

    // TaskFlow: DependencyFailure when a task provides what its flow's retry provides. Ours: allowed, the task's value is
    // nearer to what follows it.
    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.linear_flow_retry_and_task_provide_same_value")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_retry_and_task_provide_same_value")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.graph_flow_retry_and_task_provide_same_value")]
    public void RetryAndTaskProvideTheSameName_Compiles(PatternKind kind)
    {
        var flow = Pattern(kind, "p").WithRetry(AlwaysRevert("rt", provides: ["x"])).Add("TaskOneReturn", "t1", provides: "x");

        Compiles(flow);
        AssertSymbols(Describe(flow), [], ["x"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.unordered_flow_retry_two_tasks_provide_same_value")]
    public void Unordered_RetryAndTwoTasksProvidingTheSameName_Compiles()
    {
        var flow = Flow.Unordered("uf").WithRetry(AlwaysRevert("rt", provides: ["y"]))
            .Add("TaskOneReturn", "t1", provides: "x").Add("TaskOneReturn", "t2", provides: "x");

        Compiles(flow);
        AssertSymbols(Describe(flow), [], ["x", "y"]);
    }

    // TaskFlow: DependencyFailure when two retries provide the same name, nested or side by side. Ours: allowed; each
    // task reads the nearest retry's value.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.two_retries_provide_same_values_in_nested_flows")]
    [Trait("TaskFlow", "test_flow_dependencies.FlowDependenciesTest.two_retries_provide_same_values")]
    public void TwoRetriesProvideTheSameName_Compiles(bool nested)
    {
        var flow = nested
            ? Flow.Linear("lf").WithRetry(AlwaysRevert("rt1", provides: ["x"]))
                .Add(Flow.Linear("lf1").WithRetry(AlwaysRevert("rt2", provides: ["x"])).Add("TaskNoRequiresNoReturns", "t"))
            : Flow.Linear("lf")
                .Add(Flow.Linear("lf1").WithRetry(AlwaysRevert("rt1", provides: ["x"])).Add("TaskNoRequiresNoReturns", "t1"))
                .Add(Flow.Linear("lf2").WithRetry(AlwaysRevert("rt2", provides: ["x"])).Add("TaskNoRequiresNoReturns", "t2"));

        Compiles(flow);
        AssertSymbols(Describe(flow), [], ["x"]);
    }

    // ---- Describe itself ----

    [Fact]
    public void Describe_NullArgumentsOrUnknownTask_AreRefused()
    {
        var definition = Flow.Linear("f").Add("TaskOneArg", "t").Build();

        Assert.Throws<ArgumentNullException>(() => FlowCompiler.Describe(null!, _catalog));
        Assert.Throws<ArgumentNullException>(() => FlowCompiler.Describe(definition, null!));
        var exception = Assert.Throws<FlowCompilationException>(() => FlowCompiler.Describe(Flow.Linear("f").Add("nope", "t").Build(), _catalog));
        Assert.Equal("unknown-task", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    public void Describe_ListsEveryPatternTaskAndRetry()
    {
        var described = FlowCompiler.Describe(Flow.Linear("lf").WithRetry(AlwaysRevert("rt", provides: ["r"]))
            .Add("TaskOneArg", "t1").Add(Flow.Graph("gf").Add("TaskOneReturn", "t2", provides: "x")).Build(), _catalog);

        Assert.Equal(["gf", "lf", "rt", "t1", "t2"], described.Keys.Order(StringComparer.Ordinal));
        Assert.True(described["gf"].IsPattern);
        Assert.False(described["rt"].IsPattern);
        AssertSymbols(described["lf"], ["x"], ["r", "x"]);
    }
}
