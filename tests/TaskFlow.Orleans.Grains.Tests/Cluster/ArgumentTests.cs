using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>How arguments reach tasks across the cluster: inject, rebind, optional arguments and split results (TaskFlow's test_arguments_passing.py).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ArgumentTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.py: test_save_as / inject")]
    public async Task RunAsync_Inject_TaskGetsItsOwnValueOverAnInputOfTheSameName()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("inject-flow")
            .Add<AdderTask>("injected", provides: "a", inject: ("x", 100))
            .Add<AdderTask>("from-inputs", provides: "b")
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["x"] = 1, ["y"] = 2 });

        Assert.Equal(102, result.Get<int>("a"));
        Assert.Equal(3, result.Get<int>("b"));
        Assert.Equal(100, TaskJournal.Execute(flowId, "injected").Arguments["x"]);
        Assert.Equal(1, TaskJournal.Execute(flowId, "from-inputs").Arguments["x"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.py: test_dict_rebind")]
    public async Task RunAsync_Rebind_TaskGetsTheValueStoredUnderTheOtherName()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("rebind-flow")
            .Add<EchoTask>("produce", provides: "seven", inject: ("value", 7))
            .Add<MultiplierTask>("multiply", provides: "product", rebind: [("x", "seven"), ("y", "factor")])
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["factor"] = 6 });

        Assert.Equal(42, result.Get<int>("product"));
        var arguments = TaskJournal.Execute(flowId, "multiply").Arguments;
        Assert.Equal(7, arguments["x"]);
        Assert.Equal(6, arguments["y"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_all_arguments_mapping")]
    public async Task RunAsync_PositionalRebind_MapsExecutesParametersInDeclarationOrder()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("positional-flow")
            .Add<MultiplierTask>("multiply", provides: "product", rebind: Rebind.Positional("y3", "y4"))
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["y3"] = 6, ["y4"] = 7, ["x"] = 100, ["y"] = 100 });

        Assert.Equal(42, result.Get<int>("product"));
        var arguments = TaskJournal.Execute(flowId, "multiply").Arguments;
        Assert.Equal(6, arguments["x"]);
        Assert.Equal(7, arguments["y"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.ArgumentsPassingTest.test_partial_arguments_mapping (fetch_all holds the inputs too)")]
    public async Task RunAsync_Result_HoldsTheInputsBesideTheResults_LikeFetchAll()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("fetch-all-flow")
            .Add<MultiplierTask>("multiply", provides: "product", rebind: ("x", "a"))
            .Add<EchoTask>("shadow", provides: "y", inject: ("value", 99))
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["a"] = 6, ["y"] = 7 });

        Assert.Equal(new Dictionary<string, object?> { ["a"] = 6, ["y"] = 7 }, result.Inputs.ToDictionary());
        Assert.Equal(new Dictionary<string, object?> { ["product"] = 42, ["y"] = 99 }, result.Results.ToDictionary());
        // fetch_all: inputs and results together, the result winning where both have a name.
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 6, ["product"] = 42, ["y"] = 99 }, result.All.ToDictionary());
        Assert.Equal(6, result.Get<int>("a"));
        Assert.Equal(99, result.Get<int>("y"));
        var missing = Assert.Throws<KeyNotFoundException>(() => result.Get<int>("nope"));
        Assert.Contains("has no result or input named 'nope'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("inputs: a, y", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("TaskFlow", "examples/build_a_car.py: verify(spec, **kwargs) with requires=[...]")]
    public async Task RunAsync_RequiredValues_ReceivesEveryRequiredValueNoOtherParameterTakes_ByName()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("car")
            .Add<EchoTask>("install-engine", provides: "engine", inject: ("value", "V8"))
            .Add<EchoTask>("install-doors", provides: "doors-installed", inject: ("value", 4))
            .Add<RequiredValuesTask>("verify", provides: "verdict", requires: new[] { "engine", "doors", "wheels" },
                rebind: ("doors", "doors-installed"))
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["spec"] = "sedan", ["wheels"] = 4 });

        // spec goes to its own parameter; the rebound 'doors' keeps its required name as the key.
        Assert.Equal("sedan: doors=4, engine=V8, wheels=4", result.Get<string>("verdict"));
        var arguments = TaskJournal.Execute(flowId, "verify").Arguments;
        Assert.Equal(["doors", "engine", "spec", "wheels"], arguments.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RequiredValuesOnRevert_GetsTheSameValues()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("car")
            .Add<RequiredValuesTask>("verify", provides: "verdict", requires: new[] { "engine" })
            .Add<FailingTask>("fail")
            .Build();

        await Assert.ThrowsAsync<FlowFailedException>(() => RunAsync(flow, flowId, new FlowInputs { ["spec"] = "van", ["engine"] = "V6" }));

        var reverted = TaskJournal.Revert(flowId, "verify").Arguments;
        Assert.Equal("V6", reverted["engine"]);
        Assert.Equal("van", reverted["spec"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.py: test_optional_arg_provided")]
    public async Task RunAsync_OptionalArgumentVisible_IsBound()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("optional-flow").Add<OptionalArgumentTask>("optional", provides: "total").Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["x"] = 1, ["bonus"] = 5 });

        Assert.Equal(6, result.Get<int>("total"));
        Assert.Equal(5, TaskJournal.Execute(flowId, "optional").Arguments["bonus"]);
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.py: test_optional_arg_not_provided")]
    public async Task RunAsync_OptionalArgumentNotVisible_UsesTheDefault()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("optional-flow").Add<OptionalArgumentTask>("optional", provides: "total").Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["x"] = 1 });

        Assert.Equal(1 + OptionalArgumentTask.DefaultBonus, result.Get<int>("total"));
        Assert.Equal(OptionalArgumentTask.DefaultBonus, TaskJournal.Execute(flowId, "optional").Arguments["bonus"]);
    }

    [Fact]
    public async Task RunAsync_OptionalArgumentFromAPredecessor_IsBoundToItsResult()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("optional-flow")
            .Add<EchoTask>("bonus-source", provides: "bonus", inject: ("value", 30))
            .Add<OptionalArgumentTask>("optional", provides: "total")
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["x"] = 1 });

        Assert.Equal(31, result.Get<int>("total"));
    }

    [Fact]
    [Trait("TaskFlow", "test_arguments_passing.py: test_save_as_tuple (provides a tuple of names)")]
    public async Task RunAsync_MultiNameProvides_SplitsATupleResultByPosition()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("divmod-flow")
            .Add<DivModTask>("divmod")
            .Add<EchoTask>("use-remainder", provides: "echoed", rebind: ("value", "remainder"))
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["dividend"] = 17, ["divisor"] = 5 });

        Assert.Equal(3, result.Get<int>("quotient"));
        Assert.Equal(2, result.Get<int>("remainder"));
        Assert.Equal(2, result.Get<int>("echoed"));
        Assert.Equal(2, TaskJournal.Execute(flowId, "use-remainder").Arguments["value"]);
        Assert.Equal((3, 2), result.Snapshot.Atom("divmod").Result);
    }

    [Fact]
    public async Task RunAsync_MultiNameProvides_SplitsAListResultByPosition()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("list-flow")
            .Add<ProviderTask>("provide", provides: ["first", "second", "third"], inject: ("values", new[] { 4, 5, 6 }))
            .Add<AdderTask>("add", provides: "sum", rebind: [("x", "first"), ("y", "third")])
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(4, result.Get<int>("first"));
        Assert.Equal(5, result.Get<int>("second"));
        Assert.Equal(6, result.Get<int>("third"));
        Assert.Equal(10, result.Get<int>("sum"));
    }

    [Fact]
    public async Task RunAsync_TaskClass_GetsItsFlowAtomAndExecutionIdInTheContext()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("context").Add<EchoTask>("the-atom", inject: ("value", 1)).Build();

        await RunAsync(flow, flowId);

        var entry = TaskJournal.Execute(flowId, "the-atom");
        Assert.Equal(flowId, entry.FlowId);
        Assert.Equal(EchoTask.TaskName, entry.TaskName);
        Assert.False(string.IsNullOrEmpty(entry.ExecutionId));
        Assert.Contains("the-atom", entry.ExecutionId);
    }

    [Fact]
    public async Task RunAsync_ResultTooShortForItsProvidedNames_ConsumerFailsAndTheFlowReverts()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("short-flow")
            .Add<ProviderTask>("provide", provides: ["first", "second", "third"], inject: ("values", new[] { 1, 2 }))
            .Add<EchoTask>("use-third", rebind: ("value", "third"))
            .Build();

        var exception = await RunFailingAsync(flow, flowId);

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Equal(["use-third"], exception.Failures.Keys);
        Assert.Contains("third", exception.Failure!.Message);
        // The consumer never ran (its arguments could not be prepared), so it has nothing to undo and its revert is not called;
        // what did run is still reverted.
        Assert.Equal(["provide.execute", "provide.revert"], TaskJournal.Trace(flowId));
        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.All(snapshot.Atoms, atom => Assert.Equal(AtomState.Reverted, atom.State));
        Assert.NotNull(snapshot.Atom("use-third").Failure);
    }
}
