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
    private const string M = "test_flow_dependencies.FlowDependenciesTest.";

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
        Assert.Equal(requires.Order(StringComparer.Ordinal), symbols.Requires);
        Assert.Equal(provides.Order(StringComparer.Ordinal), symbols.Provides);
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
    [Trait("TaskFlow", M + "test_task_without_dependencies")]
    public void Task_WithoutDependencies_RequiresAndProvidesNothing() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskNoRequiresNoReturns", "t"), "t"), [], []);

    [Fact]
    [Trait("TaskFlow", M + "test_task_requires_default_values")]
    public void Task_RequiresItsArguments() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t"), "t"), ["x", "y", "z"], []);

    [Fact]
    [Trait("TaskFlow", M + "test_task_requires_rebinded_mapped")]
    public void Task_Rebound_RequiresTheSourceNames() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t", rebind: Abc), "t"), ["a", "b", "c"], []);

    [Fact]
    [Trait("TaskFlow", M + "test_task_requires_additional_values")]
    public void Task_ExtraRequires_AreAddedToItsArguments() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArg", "t", requires: new[] { "a", "b" }), "t"), ["a", "b", "x", "y", "z"], []);

    [Fact]
    [Trait("TaskFlow", M + "test_task_provides_values")]
    public void Task_Provides_ProvidesThoseNames() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiReturn", "t", provides: new[] { "a", "b", "c" }), "t"), [], ["a", "b", "c"]);

    [Fact]
    [Trait("TaskFlow", M + "test_task_provides_and_requires_values")]
    public void Task_ProvidesAndRequires() =>
        AssertSymbols(Describe(Flow.Linear("f").Add("TaskMultiArgMultiReturn", "t", provides: new[] { "a", "b", "c" }), "t"),
            ["x", "y", "z"], ["a", "b", "c"]);

    // ---- the same scenarios for each pattern ----

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_without_dependencies")]
    [Trait("TaskFlow", M + "test_unordered_flow_without_dependencies")]
    [Trait("TaskFlow", M + "test_graph_flow_without_dependencies")]
    public void Pattern_WithoutDependencies_RequiresAndProvidesNothing(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskNoRequiresNoReturns", "task1").Add("TaskNoRequiresNoReturns", "task2")), [], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_requires_values")]
    [Trait("TaskFlow", M + "test_unordered_flow_requires_values")]
    [Trait("TaskFlow", M + "test_graph_flow_requires_values")]
    public void Pattern_RequiresWhatItsTasksRequire(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneArg", "task1").Add("TaskMultiArg", "task2")), ["x", "y", "z"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_requires_rebind_values")]
    [Trait("TaskFlow", M + "test_unordered_flow_requires_rebind_values")]
    [Trait("TaskFlow", M + "test_graph_flow_requires_rebind_values")]
    public void Pattern_RequiresReboundNames(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneArg", "task1", rebind: ("x", "q")).Add("TaskMultiArg", "task2")),
            ["q", "x", "y", "z"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_provides_values")]
    [Trait("TaskFlow", M + "test_unordered_flow_provides_values")]
    [Trait("TaskFlow", M + "test_graph_flow_provides_values")]
    public void Pattern_ProvidesWhatItsTasksProvide(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
            .Add("TaskOneReturn", "task1", provides: "x")
            .Add("TaskMultiReturn", "task2", provides: new[] { "a", "b", "c" })), [], ["a", "b", "c", "x"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_provides_required_values")]
    [Trait("TaskFlow", M + "test_graph_flow_provides_required_values")]
    public void Pattern_RequirementProvidedInside_IsNotRequired(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").Add("TaskOneReturn", "task1", provides: "x").Add("TaskOneArg", "task2")), [], ["x"]);

    [Fact]
    [Trait("TaskFlow", M + "test_linear_flow_multi_provides_and_requires_values")]
    public void Linear_MultiProvidesAndRequires_LaterTaskUsesEarlierProvides() =>
        AssertSymbols(Describe(Flow.Linear("lf")
                .Add("TaskMultiArgMultiReturn", "task1", rebind: Abc, provides: new[] { "x", "y", "q" })
                .Add("TaskMultiArgMultiReturn", "task2", provides: new[] { "i", "j", "k" })),
            ["a", "b", "c", "z"], ["i", "j", "k", "q", "x", "y"]);

    [Theory]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_unordered_flow_multi_provides_and_requires_values")]
    [Trait("TaskFlow", M + "test_graph_flow_multi_provides_and_requires_values")]
    public void UnorderedAndGraph_MultiProvidesAndRequires(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .Add("TaskMultiArgMultiReturn", "task1", rebind: Abc, provides: new[] { "d", "e", "f" })
                .Add("TaskMultiArgMultiReturn", "task2", provides: new[] { "i", "j", "k" })),
            ["a", "b", "c", "x", "y", "z"], ["d", "e", "f", "i", "j", "k"]);

    [Fact]
    [Trait("TaskFlow", M + "test_nested_flows_requirements")]
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
    [Trait("TaskFlow", M + "test_retry_in_linear_flow_no_requirements_no_provides")]
    [Trait("TaskFlow", M + "test_retry_in_unordered_flow_no_requirements_no_provides")]
    [Trait("TaskFlow", M + "test_retry_in_graph_flow_no_requirements_no_provides")]
    public void Retry_WithoutSymbols_PatternRequiresAndProvidesNothing(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt")).Add("TaskNoRequiresNoReturns", "t")), [], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_retry_in_linear_flow_with_requirements")]
    [Trait("TaskFlow", M + "test_retry_in_unordered_flow_with_requirements")]
    [Trait("TaskFlow", M + "test_retry_in_graph_flow_with_requirements")]
    public void Retry_Requires_PatternRequiresThem(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt", requires: ["x", "y"])).Add("TaskNoRequiresNoReturns", "t")),
            ["x", "y"], []);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_retry_in_linear_flow_with_provides")]
    [Trait("TaskFlow", M + "test_retry_in_unordered_flow_with_provides")]
    [Trait("TaskFlow", M + "test_retry_in_graph_flow_with_provides")]
    public void Retry_Provides_PatternProvidesThem(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p").WithRetry(AlwaysRevert("rt", provides: ["x", "y"])).Add("TaskNoRequiresNoReturns", "t")),
            [], ["x", "y"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_retry_in_linear_flow_requires_and_provides")]
    [Trait("TaskFlow", M + "test_retry_in_unordered_flow_requires_and_provides")]
    [Trait("TaskFlow", M + "test_retry_in_graph_flow_requires_and_provides")]
    public void Retry_RequiresAndProvides_PatternHasBoth(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .WithRetry(AlwaysRevert("rt", requires: ["x", "y"], provides: ["a", "b"])).Add("TaskNoRequiresNoReturns", "t")),
            ["x", "y"], ["a", "b"]);

    [Theory]
    [InlineData(PatternKind.Linear)]
    [InlineData(PatternKind.Unordered)]
    [InlineData(PatternKind.Graph)]
    [Trait("TaskFlow", M + "test_linear_flow_retry_and_task")]
    [Trait("TaskFlow", M + "test_unordered_flow_retry_and_task")]
    [Trait("TaskFlow", M + "test_graph_flow_retry_and_task")]
    public void RetryAndTask_RetryProvidesSatisfyTheTask(PatternKind kind) =>
        AssertSymbols(Describe(Pattern(kind, "p")
                .WithRetry(AlwaysRevert("rt", requires: ["x", "y"], provides: ["a", "b"]))
                .Add("TaskMultiArgOneReturn", "t", rebind: Positional(("x", "a"), ("y", "x"), ("z", "c")), provides: "z")),
            ["c", "x", "y"], ["a", "b", "z"]);
}
