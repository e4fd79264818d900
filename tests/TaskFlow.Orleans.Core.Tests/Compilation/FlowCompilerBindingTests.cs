using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Tests.Compilation;

/// <summary>Where the compiler binds each argument from: TaskFlow's storage lookup and ScopeWalker, decided at compile time.</summary>
public sealed class FlowCompilerBindingTests
{
    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("needs-x", required: ["x"])
        .Task("gives-x", provides: ["x"])
        .Task("opt-x", optional: ["x"])
        .Task("boot-vm", required: ["image", "flavor"], optional: ["zone"]);

    private static ArgumentBinding Binding(CompiledFlow flow, string atomName, string argument) =>
        Assert.Single(flow.Atoms.Single(a => a.Name == atomName).Arguments, b => b.Argument == argument);

    private static int Id(CompiledFlow flow, string atomName) => flow.Atoms.Single(a => a.Name == atomName).Id;

    private static void AssertResult(CompiledFlow flow, ArgumentBinding binding, string provider, string key, int providesIndex = -1)
    {
        Assert.Equal(ArgumentSourceKind.Result, binding.Kind);
        Assert.Equal(key, binding.Key);
        Assert.Equal(provider, flow.Atoms[binding.ProviderAtomId].Name);
        Assert.Equal(providesIndex, binding.ProvidesIndex);
    }

    [Fact]
    public void Compile_InjectInputAndProvider_InjectWins()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c", inject: ("x", 5)), "x");

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Injected, binding.Kind);
        Assert.Equal("x", binding.Key);
        Assert.Equal(-1, binding.ProviderAtomId);
    }

    [Fact]
    public void Compile_InputAndVisibleProvider_InputWins()
    {
        // TaskFlow's _ProviderLocator searches flow-level (injected) values before the results of atoms in scope.
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"), "x");

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Input, binding.Kind);
        Assert.Equal("x", binding.Key);
    }

    [Fact]
    public void Compile_OnlyAVisibleProvider_BindsToItsResult()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_SeveralEarlierProvidersInLinearFlow_NearestWins()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("gives-x", name: "far").Add("gives-x", name: "near").Add("noop", name: "between").Add("needs-x", name: "c"));

        AssertResult(flow, Binding(flow, "c", "x"), "near", "x");
    }

    [Fact]
    public void Compile_NearestEarlierItemIsASubflow_BindsToItsLastProvider()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("gives-x", name: "far")
            .Add(Flow.Linear("sub").Add("gives-x", name: "first").Add("gives-x", name: "last").Add("noop", name: "tail"))
            .Add("needs-x", name: "c"));

        AssertResult(flow, Binding(flow, "c", "x"), "last", "x");
    }

    [Fact]
    public void Compile_GraphPredecessor_BindsToItsResult()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("needs-x", name: "c").Add("gives-x", name: "p"));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_TransitiveGraphPredecessor_IsVisible()
    {
        // c's optional x infers no edge; it is still visible because p runs before b, which runs before c.
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add("gives-x", name: "p")
            .Add("needs-x", name: "b", provides: "y")
            .Add("opt-x", name: "c", requires: "y"));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_GraphItemThatIsNotAPredecessor_IsNotVisible()
    {
        var flow = _catalog.Compile(Flow.Graph("g").Add("gives-x", name: "p").Add("opt-x", name: "c"));

        Assert.Equal(ArgumentSourceKind.Default, Binding(flow, "c", "x").Kind);
    }

    [Fact]
    public void Compile_AtomDeepInNestedSubflows_FindsProviderInAncestorScope()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("gives-x", name: "p")
            .Add(Flow.Unordered("u").Add(Flow.Graph("g").Add(Flow.Linear("l").Add("noop", name: "first").Add("needs-x", name: "c")))));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_AtomInSubflowOfGraph_SeesTheSubflowsPredecessors()
    {
        var flow = _catalog.Compile(Flow.Graph("g")
            .Add(Flow.Linear("sub").Add("noop", name: "first").Add("needs-x", name: "c"))
            .Add("gives-x", name: "p"));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_UnorderedSiblingProvides_IsSkippedForTheEnclosingScope()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("gives-x", name: "outer")
            .Add(Flow.Unordered("u").Add("gives-x", name: "sibling").Add("needs-x", name: "c")));

        AssertResult(flow, Binding(flow, "c", "x"), "outer", "x");
    }

    [Fact]
    public void Compile_UnorderedSiblingIsTheOnlyProvider_OptionalArgumentGetsDefault()
    {
        var flow = _catalog.Compile(Flow.Unordered("u").Add("gives-x", name: "sibling").Add("opt-x", name: "c"));

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Default, binding.Kind);
        Assert.Equal(-1, binding.ProviderAtomId);
    }

    [Fact]
    public void Compile_RebindToInput_BindsArgumentToTheSourceName()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("needs-x", name: "c", rebind: ("x", "golden")), "golden", "x");

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Input, binding.Kind);
        Assert.Equal("golden", binding.Key);
    }

    [Fact]
    public void Compile_RebindToProvidedName_BindsToThatProvider()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("gives-x", name: "plain")
            .Add("noop", name: "p", provides: "golden")
            .Add("gives-x", name: "nearest-x")
            .Add("needs-x", name: "c", rebind: ("x", "golden")));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "golden");
    }

    [Fact]
    public void Compile_InjectUnderReboundName_IsInjected()
    {
        // As TaskFlow, inject is keyed by the stored name an argument is looked up under, i.e. after rebind.
        var flow = _catalog.Compile(Flow.Linear("f").Add("needs-x", name: "c", rebind: ("x", "golden"), inject: ("golden", 3)));

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Injected, binding.Kind);
        Assert.Equal("golden", binding.Key);
    }

    [Fact]
    public void Compile_OptionalArgumentWithVisibleProvider_BindsToResult()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "p").Add("opt-x", name: "c"));

        AssertResult(flow, Binding(flow, "c", "x"), "p", "x");
    }

    [Fact]
    public void Compile_OptionalArgumentWithInput_BindsToInput()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("opt-x", name: "c"), "x");

        Assert.Equal(ArgumentSourceKind.Input, Binding(flow, "c", "x").Kind);
    }

    [Fact]
    public void Compile_OptionalArgumentNothingProvides_GetsDefaultAndNoProblem()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("opt-x", name: "c"));

        var binding = Binding(flow, "c", "x");
        Assert.Equal(ArgumentSourceKind.Default, binding.Kind);
        Assert.Equal("x", binding.Key);
    }

    [Fact]
    public void Compile_ProviderWithSeveralNames_GivesEachConsumerItsPosition()
    {
        var flow = _catalog.Compile(Flow.Linear("f")
            .Add("noop", name: "p", provides: ["x", "y", "z"])
            .Add("noop", name: "wants-z", requires: "z")
            .Add("needs-x", name: "wants-x")
            .Add("noop", name: "single", provides: "w")
            .Add("noop", name: "wants-w", requires: "w"));

        AssertResult(flow, Binding(flow, "wants-z", "z"), "p", "z", providesIndex: 2);
        AssertResult(flow, Binding(flow, "wants-x", "x"), "p", "x", providesIndex: 0);
        AssertResult(flow, Binding(flow, "wants-w", "w"), "single", "w", providesIndex: -1);
        Assert.Equal(["x", "y", "z"], flow.Atoms[Id(flow, "p")].Provides.AsEnumerable());
    }

    [Fact]
    public void Compile_Arguments_KeepDeclarationOrderRequiredThenRequiresThenOptional()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("boot-vm", name: "vm", requires: "network"), "image", "flavor", "network", "zone");

        Assert.Equal(["image", "flavor", "network", "zone"], flow.Atoms[0].Arguments.Select(b => b.Argument));
        Assert.All(flow.Atoms[0].Arguments, b => Assert.Equal(ArgumentSourceKind.Input, b.Kind));
    }

    [Fact]
    public void Compile_ExtraRequiresAlreadyInSignature_BindsOnce()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("needs-x", name: "c", requires: "x"), "x");

        Assert.Single(flow.Atoms[0].Arguments);
    }
}
