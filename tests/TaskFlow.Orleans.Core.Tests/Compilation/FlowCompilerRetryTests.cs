using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

/// <summary>How retries and link deciders compile: where a retry sits, what it controls and sees, and every problem a bad one gives.</summary>
public sealed class FlowCompilerRetryTests
{
    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("needs-x", required: ["x"])
        .Task("gives-x", provides: ["x"])
        .Task("gives-values", provides: ["values"])
        .RetryController("mine", new AlwaysRevertController())
        .Decider("yes", _ => true);

    private static FlowProblem Single(FlowCompilationException exception, string code)
    {
        var problem = Assert.Single(exception.Problems, p => p.Code == code);
        Assert.Contains(problem.Message, exception.Message);
        return problem;
    }

    private static int Id(CompiledFlow flow, string name) => flow.Atoms.Single(a => a.Name == name).Id;

    private static ArgumentBinding Binding(CompiledFlow flow, string atomName, string argument) =>
        Assert.Single(flow.Atoms.Single(a => a.Name == atomName).Arguments, b => b.Argument == argument);

    // ---- shape ----

    [Fact]
    public void Compile_FlowWithRetry_RetryIsAnAtomBeforeTheFlowsItemsAndControlsThem()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("noop", name: "a").Add("noop", name: "b").WithRetry(Retry.Times(3)));

        var retry = flow.Atoms[0];
        Assert.Equal("f_retry", retry.Name);
        Assert.True(retry.IsRetry);
        Assert.Equal(AtomKind.Retry, retry.Kind);
        Assert.Equal("f", retry.Retry!.ControlledFlow);
        Assert.IsType<TimesController>(retry.Retry.Controller);
        Assert.Equal(["f_retry", "a", "b"], flow.Atoms.Select(a => a.Name));
        Assert.Equal(2, flow.TaskCount);
        Assert.True(flow.HasRetries);
        Assert.Equal([Id(flow, "a")], flow.SuccessorsOf(retry.Id).ToArray());
        Assert.Equal(retry.Id, flow.RetryOf(Id(flow, "a")));
        Assert.Equal(retry.Id, flow.RetryOf(Id(flow, "b")));
        Assert.Null(flow.RetryOf(retry.Id));
    }

    [Fact]
    public void Compile_NestedFlows_EachAtomIsControlledByTheNearestRetry()
    {
        var flow = _catalog.Compile(Flow.Linear("outer")
            .Add("noop", name: "a")
            .Add(Flow.Unordered("inner").Add("noop", name: "b").WithRetry(Retry.AlwaysRevert(name: "r-inner")))
            .Add(Flow.Linear("plain").Add("noop", name: "c"))
            .WithRetry(Retry.Times(2, name: "r-outer")));

        Assert.Equal(Id(flow, "r-outer"), flow.RetryOf(Id(flow, "a")));
        Assert.Equal(Id(flow, "r-inner"), flow.RetryOf(Id(flow, "b")));
        Assert.Equal(Id(flow, "r-outer"), flow.RetryOf(Id(flow, "r-inner")));
        Assert.Equal(Id(flow, "r-outer"), flow.RetryOf(Id(flow, "c")));
    }

    [Fact]
    public void Compile_NoRetry_AtomsHaveNoRetry()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("noop", name: "a"));

        Assert.Null(flow.RetryOf(0));
        Assert.False(flow.HasRetries);
    }

    [Fact]
    public void CreateStorageSetup_FlowWithRetry_IncludesTheRetrySoItsValueCanBeStoredAndBound()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("needs-x", name: "a").WithRetry(Retry.Times(3, provides: "x")));

        var setup = flow.CreateStorageSetup([]);

        Assert.Equal(["f_retry", "a"], setup.Atoms.Select(a => a.Name));
        Assert.Equal(["x"], setup.Atoms[0].Provides.AsEnumerable());
    }

    [Fact]
    public void Compile_DeferReverts_IsCarriedToTheCompiledFlow()
    {
        var flow = FlowCompiler.Compile(Flow.Linear("f").Add("noop").Build(new FlowEngineOptions { DeferReverts = true }), _catalog, []);

        Assert.True(flow.Options.DeferReverts);
        Assert.False(_catalog.Compile(Flow.Linear("f").Add("noop")).Options.DeferReverts);
    }

    // ---- scoping: what a retry provides, and what it sees ----

    [Fact]
    public void Compile_TaskInRetriedFlow_BindsToTheRetrysValue()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("needs-x", name: "a").WithRetry(Retry.Times(3, name: "r", provides: "x")));

        var binding = Binding(flow, "a", "x");
        Assert.Equal(ArgumentSourceKind.Result, binding.Kind);
        Assert.Equal(Id(flow, "r"), binding.ProviderAtomId);
    }

    [Fact]
    public void Compile_TaskInUnorderedRetriedFlow_SeesTheRetryButNotItsSiblings()
    {
        var flow = _catalog.Compile(Flow.Unordered("u").Add("gives-x", name: "sibling").Add("needs-x", name: "a")
            .WithRetry(Retry.Times(3, name: "r", provides: "x")));

        Assert.Equal(Id(flow, "r"), Binding(flow, "a", "x").ProviderAtomId);
    }

    [Fact]
    public void Compile_EarlierSiblingAndRetryBothProvide_SiblingIsNearer()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "g").Add("needs-x", name: "a")
            .WithRetry(Retry.Times(3, name: "r", provides: "x")));

        Assert.Equal(Id(flow, "g"), Binding(flow, "a", "x").ProviderAtomId);
    }

    [Fact]
    public void Compile_TaskAfterRetriedSubflow_SeesTheRetrysValue()
    {
        var flow = _catalog.Compile(Flow.Linear("outer")
            .Add(Flow.Linear("sub").Add("noop", name: "a").WithRetry(Retry.Times(2, name: "r", provides: "x")))
            .Add("needs-x", name: "after"));

        Assert.Equal(Id(flow, "r"), Binding(flow, "after", "x").ProviderAtomId);
    }

    [Fact]
    public void Compile_ParameterizedForEachFromInputOrEarlierTask_Binds()
    {
        var fromInput = _catalog.Compile(Flow.Linear("f").Add("noop").WithRetry(Retry.ParameterizedForEach("candidates", name: "r")), "candidates");
        var fromTask = _catalog.Compile(Flow.Linear("outer")
            .Add("gives-values", name: "g")
            .Add(Flow.Linear("sub").Add("noop").WithRetry(Retry.ParameterizedForEach(name: "r"))));

        var input = Binding(fromInput, "r", "values");
        Assert.Equal(ArgumentSourceKind.Input, input.Kind);
        Assert.Equal("candidates", input.Key);
        Assert.Equal(Id(fromTask, "g"), Binding(fromTask, "r", "values").ProviderAtomId);
    }

    [Fact]
    public void Compile_GraphSiblingProvidesRetrysValues_InfersTheEdgeToTheRetriedFlow()
    {
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add(Flow.Linear("sub").Add("noop", name: "a").WithRetry(Retry.ParameterizedForEach(name: "r")))
            .Add("gives-values", name: "source"));

        Assert.Equal(Id(flow, "source"), Binding(flow, "r", "values").ProviderAtomId);
    }

    // ---- bad input (issue 4): every problem named, with a fix ----

    [Fact]
    public void Compile_ParameterizedForEachValuesNotProvided_ReportsTheRetryAndHowToFixIt()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop").WithRetry(Retry.ParameterizedForEach("servers", name: "r")));

        var problem = Single(exception, "missing-requirement");
        Assert.Equal("r", problem.AtomName);
        Assert.Contains("Retry 'r' (ParameterizedForEach) of flow 'f' requires 'servers'", problem.Message);
        Assert.Contains("Retry.ParameterizedForEach", problem.Message);
    }

    [Fact]
    public void Compile_ParameterizedForEachValuesProvidedInsideItsOwnFlow_SaysTheRetryRunsFirst()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("gives-values", name: "inside").WithRetry(Retry.ParameterizedForEach(name: "r")));

        var problem = Single(exception, "missing-requirement");
        Assert.Contains("'inside' provides 'values' but does not run before flow 'f'", problem.Message);
    }

    [Fact]
    public void Compile_RetryOnNestedFlowWithoutTasks_ReportsRetryWithoutSubflow()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop")
            .Add(Flow.Unordered("empty").Add(Flow.Linear("also-empty")).WithRetry(Retry.Times(2, name: "r"))));

        var problem = Single(exception, "retry-without-subflow");
        Assert.Equal("empty", problem.FlowName);
        Assert.Equal("r", problem.AtomName);
    }

    [Fact]
    public void Compile_RootWithOnlyARetry_ReportsEmptyFlowAndRetryWithoutSubflow()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").WithRetry(Retry.AlwaysRevert()));

        Assert.Equal(["empty-flow", "retry-without-subflow"], exception.Problems.Select(p => p.Code).Order());
    }

    [Fact]
    public void Compile_UnknownCustomController_ListsTheRegisteredOnes()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop").WithRetry(Retry.Custom("missing", name: "r")));

        var problem = Single(exception, "unknown-retry-controller");
        Assert.Contains("controller 'missing'", problem.Message);
        Assert.Contains("Registered retry controllers: mine.", problem.Message);
    }

    [Fact]
    public void Compile_KnownCustomController_UsesTheRegisteredInstance()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("noop").WithRetry(Retry.Custom("mine")));

        Assert.IsType<AlwaysRevertController>(flow.Atoms[0].Retry!.Controller);
    }

    [Fact]
    public void Compile_CatalogWithoutRetryRegistry_CustomControllerIsUnknown()
    {
        var exception = FakeTaskCatalog.WithNoop().CompileFails(Flow.Linear("f").Add("noop").WithRetry(Retry.Custom("mine")));

        Assert.Contains("Registered retry controllers: none.", Single(exception, "unknown-retry-controller").Message);
    }

    [Fact]
    public void Compile_NegativeTimes_IsABadRetry()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop").WithRetry(Retry.Times(-1, name: "r")));

        Assert.Contains("Times(-1)", Single(exception, "bad-retry").Message);
    }

    [Fact]
    public void Compile_RetryNamedLikeATask_IsADuplicateName()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop", name: "a").WithRetry(Retry.Times(2, name: "a")));

        Assert.Contains("Retry.Times(3, name: \"a-2\")", Single(exception, "duplicate-name").Message);
    }

    [Fact]
    public void Compile_CustomRetryRebindsUnknownArgument_IsReported()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop")
            .WithRetry(Retry.Custom("mine", name: "r", requires: "limit", rebind: ("limt", "max"))), "limit");

        Assert.Contains("rebinds 'limt'", Single(exception, "unknown-rebind").Message);
    }

    [Fact]
    public void Compile_RetryProvidesANameTwice_IsReported()
    {
        var exception = _catalog.CompileFails(Flow.Linear("f").Add("noop").WithRetry(Retry.Times(2, name: "r", provides: ["x", "x"])));

        Assert.Equal("r", Single(exception, "duplicate-provides").AtomName);
    }

    [Fact]
    public void WithRetry_Twice_Throws()
    {
        var builder = Flow.Linear("f").WithRetry(Retry.Times(2));

        var exception = Assert.Throws<InvalidOperationException>(() => builder.WithRetry(Retry.AlwaysRevert()));

        Assert.Contains("already has a retry", exception.Message);
    }

    // ---- link deciders ----

    [Fact]
    public void Compile_UnknownDecider_ListsTheRegisteredOnes()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g").Add("noop", name: "a").Add("noop", name: "b").Link("a", "b", decider: "maybe"));

        var problem = Single(exception, "unknown-decider");
        Assert.Equal("b", problem.AtomName);
        Assert.Contains("decider 'maybe'", problem.Message);
        Assert.Contains("Registered deciders: yes.", problem.Message);
    }

    [Fact]
    public void Compile_DeciderOnLinkToAMissingItem_ReportsTheLink()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g").Add("noop", name: "a").Link("a", "ghost", decider: "yes"));

        Assert.Contains("'ghost' is not an item of 'g'", Single(exception, "unknown-link-target").Message);
    }

    [Fact]
    public void Compile_DeciderOnLinkInLinearFlow_ReportsLinkOutsideGraph()
    {
        var exception = _catalog.CompileFails(Flow.Linear("l").Add("noop", name: "a").Add("noop", name: "b").Link("a", "b", decider: "yes"));

        Single(exception, "link-outside-graph");
    }

    [Fact]
    public void Compile_UndefinedDeciderDepth_IsReported()
    {
        var exception = _catalog.CompileFails(Flow.Graph("g").Add("noop", name: "a").Add("noop", name: "b").Link("a", "b", decider: "yes", depth: (DeciderDepth)9));

        Single(exception, "bad-decider-depth");
    }

    [Fact]
    public void Compile_DeciderOnLinkThatRepeatsAnInferredEdge_IsAttachedToIt()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("gives-x", name: "a").Add("needs-x", name: "b").Link("a", "b", decider: "yes"));

        Assert.True(flow.HasDeciders);
        var edge = Assert.Single(flow.Deciders[Id(flow, "b")]);
        Assert.Equal(Id(flow, "a"), edge.SourceNode);
        Assert.True(flow.DeciderSource[Id(flow, "a")]);
    }

    [Fact]
    public void Compile_DeciderIntoNestedFlows_AppliesToTheAtomsThatStartThem()
    {
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add("noop", name: "a")
            .Add(Flow.Linear("outer").Add(Flow.Unordered("inner").Add("noop", name: "b").Add("noop", name: "c")).Add("noop", name: "d"))
            .Link("a", "outer", decider: "yes", depth: DeciderDepth.Flow));

        Assert.Equal(DeciderDepth.Flow, Assert.Single(flow.Deciders[Id(flow, "b")]).Depth);
        Assert.Single(flow.Deciders[Id(flow, "c")]);
        Assert.Empty(flow.Deciders[Id(flow, "d")]);
    }
}
