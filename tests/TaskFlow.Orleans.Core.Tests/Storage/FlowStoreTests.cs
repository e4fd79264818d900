using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Storage;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Tests.Storage;

public sealed class FlowStoreTests
{
    private static readonly Failure Boom = Failure.Create("System.InvalidOperationException", "boom");
    private static readonly Failure Crash = Failure.Create("System.TimeoutException", "crash");

    private readonly FakeTaskCatalog _catalog = FakeTaskCatalog.WithNoop()
        .Task("needs-x", required: ["x"])
        .Task("gives-x", provides: ["x"])
        .Task("opt-x", optional: ["x"])
        .Task("boot-vm", required: ["image", "x"]);

    private (FlowStore Store, CompiledFlow Flow) Create(FlowBuilder builder, params (string Name, object? Value)[] inputs)
    {
        var flow = _catalog.Compile(builder, [.. inputs.Select(i => i.Name)]);
        var values = inputs.ToImmutableDictionary(i => i.Name, i => i.Value);
        return (new FlowStore(flow.CreateStorageSetup(values)), flow);
    }

    private static int Id(CompiledFlow flow, string atomName) => flow.Atoms.Single(a => a.Name == atomName).Id;

    private static void Succeeded(FlowStore store, CompiledFlow flow, string atomName, object? value) =>
        store.Save(new AtomCompletion(Id(flow, atomName), IsRevert: false, value, Failure: null));

    private static void Failed(FlowStore store, CompiledFlow flow, string atomName, Failure failure) =>
        store.Save(new AtomCompletion(Id(flow, atomName), IsRevert: false, Value: null, failure));

    private static Dictionary<string, object?> Prepare(FlowStore store, CompiledFlow flow, string atomName)
    {
        Assert.True(store.TryPrepareExecute(Id(flow, atomName), out var arguments, out var failure));
        Assert.Null(failure);
        return arguments;
    }

    // ---- argument preparation ----

    [Fact]
    public void TryPrepareExecute_InjectedArgument_PassesTheInjectedValue()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c", inject: ("x", 5)), ("x", "input"));
        Succeeded(store, flow, "p", "result");

        var arguments = Prepare(store, flow, "c");

        Assert.Equal(5, Assert.Single(arguments, a => a.Key == "x").Value);
    }

    [Fact]
    public void TryPrepareExecute_InputArgument_PassesTheInputValue()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"), ("x", "input"));
        Succeeded(store, flow, "p", "result");

        var arguments = Prepare(store, flow, "c");

        Assert.Equal("input", arguments["x"]);
    }

    [Fact]
    public void TryPrepareExecute_ReboundArgument_PassesSourceValueUnderTheArgumentName()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("needs-x", name: "c", rebind: ("x", "golden")), ("golden", "ubuntu-24.04"));

        var arguments = Prepare(store, flow, "c");

        Assert.Equal("ubuntu-24.04", Assert.Single(arguments, a => a.Key == "x").Value);
    }

    [Fact]
    public void TryPrepareExecute_ResultOfVisibleProvider_PassesTheResult()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Succeeded(store, flow, "p", 42);

        var arguments = Prepare(store, flow, "c");

        Assert.Equal(42, arguments["x"]);
    }

    [Fact]
    public void TryPrepareExecute_ProviderReturnedNull_PassesNull()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Succeeded(store, flow, "p", null);

        var arguments = Prepare(store, flow, "c");

        Assert.True(arguments.ContainsKey("x"));
        Assert.Null(arguments["x"]);
    }

    [Fact]
    public void TryPrepareExecute_OptionalArgumentWithDefault_LeavesItOutSoTheDefaultApplies()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("opt-x", name: "c"));

        var arguments = Prepare(store, flow, "c");

        Assert.Empty(arguments);
    }

    [Fact]
    public void TryPrepareExecute_SeveralSources_PassesEachArgument()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("boot-vm", name: "vm"), ("image", "ubuntu"));
        Succeeded(store, flow, "p", "10.0.0.7");

        var arguments = Prepare(store, flow, "vm");

        Assert.Equal(new Dictionary<string, object?> { ["image"] = "ubuntu", ["x"] = "10.0.0.7" }, arguments);
    }

    [Fact]
    public void TryPrepareExecute_ProviderHasNoResult_FailsNamingBothAtomsAndTheValue()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));

        var prepared = store.TryPrepareExecute(Id(flow, "c"), out _, out var failure);

        Assert.False(prepared);
        Assert.NotNull(failure);
        Assert.Equal("TaskFlow.Orleans.MissingArgumentException", failure.ExceptionTypeName);
        Assert.Contains("Atom 'c' needs 'x' for argument 'x' from atom 'p', which has no result", failure.Message);
    }

    [Fact]
    public void TryPrepareExecute_ProviderFailed_Fails()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Failed(store, flow, "p", Boom);

        Assert.False(store.TryPrepareExecute(Id(flow, "c"), out _, out var failure));
        Assert.NotNull(failure);
    }

    [Fact]
    public void TryPrepareExecute_RestoredResults_AreUsed()
    {
        var flow = _catalog.Compile(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        var store = new FlowStore(flow.CreateStorageSetup(ImmutableDictionary<string, object?>.Empty),
            new Dictionary<int, object?> { [Id(flow, "p")] = "restored" }, [], []);

        Assert.Equal("restored", Prepare(store, flow, "c")["x"]);
    }

    // ---- revert preparation ----

    [Fact]
    public void PrepareRevert_AtomSucceeded_ReturnsItsArgumentsResultAndTheFlowsFailures()
    {
        var (store, flow) = Create(Flow.Linear("f")
            .Add("gives-x", name: "p")
            .Add("needs-x", name: "c", provides: "y")
            .Add("noop", name: "d"));
        Succeeded(store, flow, "p", 42);
        Succeeded(store, flow, "c", "vm-7");
        Failed(store, flow, "d", Boom);

        var revert = store.PrepareRevert(Id(flow, "c"));

        Assert.Equal(42, Assert.Single(revert.Arguments).Value);
        Assert.Equal("vm-7", revert.Result);
        Assert.Null(revert.ExecuteFailure);
        Assert.Equal(Boom, Assert.Single(revert.FlowFailures, f => f.Key == "d").Value);
    }

    [Fact]
    public void PrepareRevert_AtomFailed_ReturnsItsFailureAndNoResult()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Succeeded(store, flow, "p", 42);
        Failed(store, flow, "c", Boom);

        var revert = store.PrepareRevert(Id(flow, "c"));

        Assert.Equal(42, revert.Arguments["x"]);
        Assert.Null(revert.Result);
        Assert.Equal(Boom, revert.ExecuteFailure);
        Assert.Equal(Boom, revert.FlowFailures["c"]);
    }

    [Fact]
    public void PrepareRevert_ArgumentNoLongerFound_StillPreparesWhatItCan()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("boot-vm", name: "vm"), ("image", "ubuntu"));
        Failed(store, flow, "vm", Boom);

        var revert = store.PrepareRevert(Id(flow, "vm"));

        Assert.Equal("ubuntu", Assert.Single(revert.Arguments).Value);
        Assert.Equal(Boom, revert.ExecuteFailure);
    }

    [Fact]
    public void FlowFailures_SeveralAtomsFailed_KeyedByAtomName()
    {
        var (store, flow) = Create(Flow.Unordered("f").Add("noop", name: "a").Add("noop", name: "b").Add("noop", name: "c"));
        Failed(store, flow, "a", Boom);
        Succeeded(store, flow, "b", 1);
        Failed(store, flow, "c", Crash);

        var failures = store.FlowFailures();

        Assert.Equal(new Dictionary<string, Failure> { ["a"] = Boom, ["c"] = Crash }, failures);
    }

    // ---- saving ----

    [Fact]
    public void Save_ExecuteFailureThenSuccess_SuccessReplacesTheFailure()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Failed(store, flow, "p", Boom);

        Succeeded(store, flow, "p", 7);

        Assert.Empty(store.Failures);
        Assert.Empty(store.FlowFailures());
        Assert.Equal(7, store.Results[Id(flow, "p")]);
        Assert.Equal(7, Prepare(store, flow, "c")["x"]);
    }

    [Fact]
    public void Save_ExecuteSuccessThenFailure_FailureReplacesTheResult()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p").Add("needs-x", name: "c"));
        Succeeded(store, flow, "p", 7);

        Failed(store, flow, "p", Boom);

        Assert.False(store.Results.ContainsKey(Id(flow, "p")));
        Assert.Equal(Boom, store.Failures[Id(flow, "p")]);
        Assert.False(store.TryPrepareExecute(Id(flow, "c"), out _, out _));
    }

    [Fact]
    public void Save_RevertOutcome_KeepsTheExecuteResultAndRecordsOnlyRevertFailures()
    {
        var (store, flow) = Create(Flow.Linear("f").Add("gives-x", name: "p"));
        var p = Id(flow, "p");
        Succeeded(store, flow, "p", 7);

        store.Save(new AtomCompletion(p, IsRevert: true, Value: null, Failure: null));
        var afterRevertSuccess = store.RevertFailures.Count;
        store.Save(new AtomCompletion(p, IsRevert: true, Value: null, Crash));

        Assert.Equal(0, afterRevertSuccess);
        Assert.Equal(Crash, store.RevertFailures[p]);
        Assert.Equal(7, store.Results[p]);
        Assert.Empty(store.Failures);
        Assert.Empty(store.FlowFailures());
    }

    [Fact]
    public void Save_Null_Throws()
    {
        var (store, _) = Create(Flow.Linear("f").Add("noop", name: "a"));

        Assert.Throws<ArgumentNullException>(() => store.Save(null!));
        Assert.Throws<ArgumentNullException>(() => new FlowStore(null!));
    }

    [Fact]
    public void GetResults_SingleNameProvides_ExposesEachSucceededValueByName()
    {
        var (store, flow) = Create(Flow.Unordered("f")
            .Add("gives-x", name: "p")
            .Add("noop", name: "q", provides: "y")
            .Add("noop", name: "r", provides: "z")
            .Add("noop", name: "silent"));
        Succeeded(store, flow, "p", 1);
        Succeeded(store, flow, "silent", "kept by id only");
        Failed(store, flow, "r", Boom);
        store.Save(new AtomCompletion(Id(flow, "q"), IsRevert: true, Value: null, Crash));

        var results = store.GetResults();

        Assert.Equal(new Dictionary<string, object?> { ["x"] = 1 }, results.Named);
        Assert.Equal("kept by id only", results.Results[Id(flow, "silent")]);
        Assert.Equal(Boom, results.Failures[Id(flow, "r")]);
        Assert.Equal(Crash, results.RevertFailures[Id(flow, "q")]);
    }

    // Atom 0 provides ("first", "second", "third"); atom 1 takes "value" from "third"; atom 2 takes "value" from "first".
    private static FlowStore ThreeAtomStore() => new(new StorageSetup
    {
        Inputs = ImmutableDictionary<string, object?>.Empty,
        Atoms =
        [
            new AtomSetup { Id = 0, Name = "provide", Provides = ["first", "second", "third"] },
            new AtomSetup { Id = 1, Name = "use-third", Arguments = [new ArgumentBinding("value", ArgumentSourceKind.Result, "third", 0, 2)] },
            new AtomSetup { Id = 2, Name = "use-first", Arguments = [new ArgumentBinding("value", ArgumentSourceKind.Result, "first", 0, 0)] },
        ],
    });

    [Fact]
    public void PrepareRevert_AtomWhoseArgumentsNeverResolved_HasNothingToRevert()
    {
        var store = ThreeAtomStore();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2 }, null));
        Assert.False(store.TryPrepareExecute(1, out _, out var missing));
        store.Save(new AtomCompletion(1, IsRevert: false, null, missing));

        var revert = store.PrepareRevert(1);

        Assert.True(revert.NothingToRevert);
        Assert.Same(missing, revert.ExecuteFailure);
    }

    [Fact]
    public void PrepareRevert_AtomThatRanAndFailed_IsRevertedWithItsArguments()
    {
        var store = ThreeAtomStore();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2 }, null));
        store.Save(new AtomCompletion(2, IsRevert: false, null, Failure.Create("System.InvalidOperationException", "Woot!")));

        var revert = store.PrepareRevert(2);

        Assert.False(revert.NothingToRevert);
        Assert.Equal(1, revert.Arguments["value"]);
        Assert.Equal("Woot!", revert.FlowFailures["use-first"].Message);
    }

    [Fact]
    public void PrepareRevert_AtomThatSucceeded_GetsItsResult()
    {
        var store = ThreeAtomStore();
        store.Save(new AtomCompletion(0, IsRevert: false, new[] { 1, 2, 3 }, null));

        var revert = store.PrepareRevert(0);

        Assert.False(revert.NothingToRevert);
        Assert.Equal(new[] { 1, 2, 3 }, revert.Result);
        Assert.Null(revert.ExecuteFailure);
    }
}
