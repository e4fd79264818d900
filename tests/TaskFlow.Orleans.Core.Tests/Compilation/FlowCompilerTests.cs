using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

public sealed class FlowCompilerTests
{
    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("needs-x", required: ["x"])
        .Task("gives-x", provides: ["x"]);

    private static FlowProblem Single(FlowCompilationException exception, string code)
    {
        var problem = Assert.Single(exception.Problems, p => p.Code == code);
        Assert.Contains(problem.Message, exception.Message);
        return problem;
    }

    // ---- validation: one code per problem, messages name the flow and atom ----

    [Fact]
    public void Compile_NullArguments_ThrowArgumentNullException()
    {
        var definition = Flow.Linear("f").Add("noop").Build();

        Assert.Throws<ArgumentNullException>(() => FlowCompiler.Compile(null!, _catalog, []));
        Assert.Throws<ArgumentNullException>(() => FlowCompiler.Compile(definition, null!, []));
        Assert.Throws<ArgumentNullException>(() => FlowCompiler.Compile(definition, _catalog, null!));
    }

    [Fact]
    public void Compile_FlowWithoutTasks_ReportsEmptyFlow()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot"));

        var problem = Single(exception, "empty-flow");
        Assert.Equal("boot", problem.FlowName);
        Assert.Null(problem.AtomName);
        Assert.Contains("Flow 'boot' has no tasks", problem.Message);
        Assert.Equal("boot", exception.FlowName);
    }

    [Fact]
    public void Compile_FlowWithOnlyEmptySubflows_ReportsEmptyFlow()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add(Flow.Unordered("a")).Add(Flow.Graph("b")));

        Assert.Equal("empty-flow", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    public void Compile_DefinitionWithoutRoot_ReportsEmptyFlow()
    {
        var exception = Assert.Throws<FlowCompilationException>(
            () => FlowCompiler.Compile(new FlowDefinition { Root = null! }, _catalog, []));

        Assert.Equal("empty-flow", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    public void Compile_TwoAtomsWithOneName_ReportsDuplicateName()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("noop", name: "a").Add("noop", name: "a"));

        var problem = Single(exception, "duplicate-name");
        Assert.Equal("boot", problem.FlowName);
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("Flow 'boot' has two items named 'a'", problem.Message);
    }

    [Fact]
    public void Compile_AtomNamedLikeASubflowInAnotherPattern_ReportsDuplicateName()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot")
            .Add(Flow.Unordered("volumes").Add("noop", name: "disk"))
            .Add(Flow.Linear("disk").Add("noop", name: "b")));

        var problem = Single(exception, "duplicate-name");
        Assert.Equal("disk", problem.AtomName);
        Assert.Contains("in 'volumes' and 'boot'", problem.Message);
    }

    [Fact]
    public void Compile_UnregisteredTask_ReportsUnknownTaskWithRegisteredNames()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("noop", name: "a").Add("boot-vm", name: "vm"));

        var problem = Single(exception, "unknown-task");
        Assert.Equal("boot", problem.FlowName);
        Assert.Equal("vm", problem.AtomName);
        Assert.Contains("Atom 'vm' in flow 'boot' runs task 'boot-vm', which is not registered", problem.Message);
        Assert.Contains("Registered tasks: gives-x, needs-x, noop.", problem.Message);
    }

    [Fact]
    public void Compile_UnknownTaskWithExplicitProvides_StillSatisfiesItsConsumers()
    {
        // Only the real mistake is reported: the consumer of the unknown task's provides is not blamed too.
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("missing", name: "a", provides: "x").Add("needs-x", name: "b"));

        Assert.Equal("unknown-task", Assert.Single(exception.Problems).Code);
    }

    [Fact]
    public void Compile_GraphWithDependencyCycle_ReportsCycleWithItsPath()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("noop", name: "a", requires: "y", provides: "x")
            .Add("noop", name: "b", requires: "x", provides: "y"));

        var problem = Single(exception, "cycle");
        Assert.Equal("g", problem.FlowName);
        Assert.Contains("Graph flow 'g' has a cycle: a -> b -> a.", problem.Message);
    }

    [Fact]
    public void Compile_GraphWithCycleOfExplicitLinks_ReportsCycleWithItsPath()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c")
            .Link("a", "b").Link("b", "c").Link("c", "a"));

        var problem = Single(exception, "cycle");
        Assert.Contains("a -> b -> c -> a", problem.Message);
    }

    [Fact]
    public void Compile_GraphWithSelfLink_ReportsCycle()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g").Add("noop", name: "a").Link("a", "a"));

        Assert.Contains("a -> a", Single(exception, "cycle").Message);
    }

    [Fact]
    public void Compile_GraphWithCycleThroughSubflow_ReportsCycleNamingTheSubflow()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("noop", name: "a", requires: "y", provides: "x")
            .Add(Flow.Linear("sub").Add("needs-x", name: "b").Add("noop", name: "c", provides: "y")));

        Assert.Contains("a -> sub -> a", Single(exception, "cycle").Message);
    }

    [Fact]
    public void Compile_GraphWithTwoProvidersOfARequiredName_ReportsAmbiguousProviderOnly()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("gives-x", name: "a").Add("gives-x", name: "b").Add("needs-x", name: "c"));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("ambiguous-provider", problem.Code);
        Assert.Equal("g", problem.FlowName);
        Assert.Equal("c", problem.AtomName);
        Assert.Contains("'c' requires 'x', which several items provide: 'a', 'b'", problem.Message);
    }

    [Fact]
    public void Compile_GraphWithTwoProvidersOfWhatASubflowRequires_ReportsAmbiguousProviderOnly()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("gives-x", name: "a").Add("gives-x", name: "b")
            .Add(Flow.Linear("sub").Add("needs-x", name: "c")));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("ambiguous-provider", problem.Code);
        Assert.Equal("sub", problem.AtomName);
    }

    [Fact]
    public void Compile_GraphWithTwoProvidersOfAnUnusedName_Compiles()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("gives-x", name: "a").Add("gives-x", name: "b"));

        Assert.Equal(2, flow.AtomCount);
    }

    [Fact]
    public void Compile_RequirementNothingProvides_ReportsMissingRequirement()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("needs-x", name: "a"));

        var problem = Single(exception, "missing-requirement");
        Assert.Equal("boot", problem.FlowName);
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("Atom 'a' in flow 'boot' requires 'x', but nothing before it provides 'x' and no input has that name", problem.Message);
    }

    [Fact]
    public void Compile_ReboundRequirementNothingProvides_MessageNamesArgumentAndSource()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("needs-x", name: "a", rebind: ("x", "golden")));

        Assert.Contains("requires 'golden' (argument 'x' is rebound to it)", Single(exception, "missing-requirement").Message);
    }

    [Fact]
    public void Compile_ProviderLaterInLinearFlow_ReportsMissingRequirementWithVisibilityHint()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("needs-x", name: "a").Add("gives-x", name: "b"));

        var problem = Single(exception, "missing-requirement");
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("'b' provides 'x' but is not visible from 'a'", problem.Message);
    }

    [Fact]
    public void Compile_ProviderIsUnorderedSibling_ReportsMissingRequirementWithVisibilityHint()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot")
            .Add(Flow.Unordered("volumes").Add("gives-x", name: "a").Add("needs-x", name: "b")));

        var problem = Single(exception, "missing-requirement");
        Assert.Equal("volumes", problem.FlowName);
        Assert.Equal("b", problem.AtomName);
        Assert.Contains("Atom 'b' in flow 'volumes' requires 'x'", problem.Message);
        Assert.Contains("'a' provides 'x' but is not visible from 'b'", problem.Message);
        Assert.Contains("items of an unordered flow do not see each other", problem.Message);
    }

    [Fact]
    public void Compile_LinkInLinearFlow_ReportsLinkOutsideGraph()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("noop", name: "a").Add("noop", name: "b").Link("b", "a"));

        var problem = Single(exception, "link-outside-graph");
        Assert.Equal("boot", problem.FlowName);
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("Flow 'boot' is linear but links 'b' -> 'a'", problem.Message);
    }

    [Fact]
    public void Compile_LinkInUnorderedSubflow_ReportsLinkOutsideGraph()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add(Flow.Unordered("u").Add("noop", name: "a").Add("noop", name: "b").Link("a", "b")));

        var problem = Single(exception, "link-outside-graph");
        Assert.Equal("u", problem.FlowName);
        Assert.Contains("Flow 'u' is unordered", problem.Message);
    }

    [Fact]
    public void Compile_LinkToUnknownItem_ReportsUnknownLinkTarget()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g").Add("noop", name: "a").Link("a", "ghost"));

        var problem = Single(exception, "unknown-link-target");
        Assert.Equal("g", problem.FlowName);
        Assert.Equal("ghost", problem.AtomName);
        Assert.Contains("Graph flow 'g' links 'a' -> 'ghost', but 'ghost' is not an item of 'g'", problem.Message);
    }

    [Fact]
    public void Compile_LinkToAtomInsideNestedSubflow_ReportsUnknownLinkTarget()
    {
        // Links join the graph's direct items only; an atom of a nested pattern is reached through its pattern's name.
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("noop", name: "a")
            .Add(Flow.Linear("sub").Add("noop", name: "b"))
            .Link("a", "b"));

        var problem = Single(exception, "unknown-link-target");
        Assert.Equal("b", problem.AtomName);
        Assert.Contains("Link only items added directly to this flow: a, sub.", problem.Message);
    }

    [Fact]
    public void Compile_RebindOfUnknownArgument_ReportsUnknownRebind()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("needs-x", name: "a", rebind: ("image", "golden")), "x");

        var problem = Single(exception, "unknown-rebind");
        Assert.Equal("boot", problem.FlowName);
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("Atom 'a' in flow 'boot' rebinds 'image', but task 'needs-x' has no argument named 'image'", problem.Message);
        Assert.Contains("Its arguments are: x.", problem.Message);
    }

    [Fact]
    public void Compile_SeveralProblems_ReportsAllInOneException()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot")
            .Add("noop", name: "a")
            .Add("noop", name: "a")
            .Add("boot-vm", name: "vm")
            .Add("needs-x", name: "c", rebind: ("image", "golden"))
            .Link("a", "c")
            .Add(Flow.Graph("g").Add("noop", name: "d").Add("noop", name: "e").Link("d", "e").Link("e", "d").Link("d", "nowhere")));

        Assert.Equal(
            ["cycle", "duplicate-name", "link-outside-graph", "missing-requirement", "unknown-link-target", "unknown-rebind", "unknown-task"],
            exception.Problems.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.Contains("Flow 'boot' is invalid (7 problems):", exception.Message);
        foreach (var problem in exception.Problems)
        {
            Assert.Contains(problem.Message, exception.Message);
        }
    }

    [Fact]
    public void Compile_GraphWithTwoSeparateCycles_ReportsBoth()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g")
            .Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c").Add("noop", name: "d")
            .Link("a", "b").Link("b", "a").Link("c", "d").Link("d", "c"));

        var cycles = exception.Problems.Where(p => p.Code == "cycle").Select(p => p.Message).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.Contains(cycles, m => m.Contains("a -> b -> a", StringComparison.Ordinal));
        Assert.Contains(cycles, m => m.Contains("c -> d -> c", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_AtomProvidingOneNameTwice_ReportsDuplicateProvides()
    {
        var exception = _catalog.CompileFails(Flow.Linear("boot").Add("noop", name: "a", provides: ["ip", "ip"]));

        var problem = Single(exception, "duplicate-provides");
        Assert.Equal("a", problem.AtomName);
        Assert.Contains("Atom 'a' in flow 'boot' provides 'ip' twice", problem.Message);
    }

    [Fact]
    public void Compile_HandBuiltDefinitionWithBlankNameAndNullItem_ReportsBoth()
    {
        var definition = new FlowDefinition
        {
            Root = new PatternDefinition
            {
                Name = "boot",
                Kind = PatternKind.Linear,
                Items = [new AtomDefinition { Name = "a", TaskName = "noop" }, null!, new AtomDefinition { Name = " ", TaskName = "noop" }],
            },
        };

        var exception = Assert.Throws<FlowCompilationException>(() => FlowCompiler.Compile(definition, _catalog, []));

        Assert.Contains("Flow 'boot' has a null item at position 1", Single(exception, "null-item").Message);
        Assert.Contains("An item of flow 'boot' has an empty name", Single(exception, "empty-name").Message);
    }

    // ---- happy paths: graph shape, ids, nesting ----

    [Fact]
    public void Compile_LinearFlow_AssignsIdsInDefinitionOrder()
    {
        var flow = _catalog.Compile(Flow.Linear("boot")
            .Add("noop", name: "a")
            .Add(Flow.Unordered("u").Add("noop", name: "b").Add(Flow.Linear("inner").Add("noop", name: "c")))
            .Add("noop", name: "d"));

        Assert.Equal(["a", "b", "c", "d"], flow.Atoms.Select(a => a.Name));
        Assert.Equal([0, 1, 2, 3], flow.Atoms.Select(a => a.Id));
        Assert.Equal(["boot", "u", "inner", "boot"], flow.Atoms.Select(a => a.FlowName));
        Assert.Equal("boot", flow.Name);
        Assert.True(flow.IsAtom(3));
        Assert.False(flow.IsAtom(4));
    }

    [Fact]
    public void Compile_GraphFlow_InfersEdgesFromRequiresAndProvides()
    {
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add("needs-x", name: "consumer", provides: "y")
            .Add("noop", name: "last", requires: "y")
            .Add("gives-x", name: "producer")
            .Add("noop", name: "loner"));

        Assert.Equal([0], flow.SuccessorsOf(2).ToArray()); // producer -> consumer
        Assert.Equal([2], flow.PredecessorsOf(0).ToArray());
        Assert.Equal([1], flow.SuccessorsOf(0).ToArray()); // consumer -> last
        Assert.Equal([0], flow.PredecessorsOf(1).ToArray());
        Assert.All(flow.PredecessorsOf(3).ToArray(), p => Assert.False(flow.IsAtom(p))); // loner hangs off the graph's start only
        Assert.All(flow.SuccessorsOf(3).ToArray(), s => Assert.False(flow.IsAtom(s)));
    }

    [Fact]
    public void Compile_GraphFlowWithExplicitLink_AddsTheEdge()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("noop", name: "a").Add("noop", name: "b").Link("b", "a"));

        Assert.Equal([0], flow.SuccessorsOf(1).ToArray());
        Assert.Equal([1], flow.PredecessorsOf(0).ToArray());
    }

    [Fact]
    public void Compile_LinkAndInferredDependencyOnSamePair_AddsOneEdge()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("gives-x", name: "a").Add("needs-x", name: "b").Link("a", "b"));

        Assert.Equal([1], flow.SuccessorsOf(0).ToArray());
    }

    [Fact]
    public void Compile_GraphLinkFromSubflowToAtom_OrdersAfterTheWholeSubflow()
    {
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add("noop", name: "c")
            .Add(Flow.Linear("sub").Add("noop", name: "a").Add("noop", name: "b"))
            .Link("sub", "c"));
        var driver = new EngineDriver(flow);

        driver.Start();
        var state = driver.RunToEnd();

        Assert.Equal(FlowState.Success, state);
        Assert.Equal(["+a", "+b", "+c"], driver.DispatchBatches());
    }

    [Fact]
    public void Compile_NestingDepthFour_CompilesAndRunsInPatternOrder()
    {
        var flow = _catalog.Compile(Flow.Linear("l1")
            .Add("gives-x", name: "a")
            .Add(Flow.Unordered("u2")
                .Add(Flow.Graph("g3")
                    .Add(Flow.Linear("l4").Add("needs-x", name: "b", provides: "y").Add("noop", name: "c"))
                    .Add("noop", name: "d", requires: "y"))
                .Add("noop", name: "e"))
            .Add("noop", name: "f"));
        var driver = new EngineDriver(flow);

        driver.Start();
        Assert.Equal(FlowState.Success, driver.RunToEnd());

        Assert.Equal(["a", "b", "c", "d", "e", "f"], flow.Atoms.Select(a => a.Name));
        Assert.Equal(["+a", "+b +e", "+c", "+d", "+f"], driver.DispatchSets());
        Assert.Equal(["l1", "l4", "l4", "g3", "u2", "l1"], flow.Atoms.Select(a => a.FlowName));
    }

    [Fact]
    public void Compile_EmptySubflowAmongTasks_IsSkippedOver()
    {
        var flow = _catalog.Compile(Flow.Linear("boot").Add("noop", name: "a").Add(Flow.Unordered("none")).Add("noop", name: "b"));
        var driver = new EngineDriver(flow);

        driver.Start();

        Assert.Equal(FlowState.Success, driver.RunToEnd());
        Assert.Equal(["+a", "+b"], driver.DispatchBatches());
    }

    [Fact]
    public void Compile_TaskWithDefaultProvides_UsesThemUnlessTheFlowOverrides()
    {
        var flow = _catalog.Compile(Flow.Linear("boot")
            .Add("gives-x", name: "default")
            .Add("gives-x", name: "renamed", provides: "ip")
            .Add("gives-x", name: "hidden", provides: Array.Empty<string>()));

        Assert.Equal(["x"], flow.Atoms[0].Provides.AsEnumerable());
        Assert.Equal(["ip"], flow.Atoms[1].Provides.AsEnumerable());
        Assert.Empty(flow.Atoms[2].Provides);
    }

    [Fact]
    public void Compile_AtomOptions_AreCarriedToTheCompiledAtom()
    {
        var flow = _catalog.Compile(Flow.Linear("boot").Add("needs-x", name: "a", inject: ("x", 7), priority: 3));

        var atom = Assert.Single(flow.Atoms);
        Assert.Equal("needs-x", atom.TaskName);
        Assert.Equal(3, atom.Priority);
        Assert.Equal(7, atom.Injected["x"]);
    }
}
