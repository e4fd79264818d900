using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Examples;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>TaskFlow's examples (openstack/taskflow <c>taskflow/examples/</c>) ported and run on the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ExampleTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    [Trait("TaskFlow", "examples/reverting_linear.py")]
    public async Task RunAsync_RevertingLinear_SuzzieFailsAndJoeThenJimAreCalledBack()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("simple-linear")
            .Add<CallJim>("CallJim")
            .Add<CallJoe>("CallJoe")
            .Add<CallSuzzie>("CallSuzzie")
            .Build();

        var exception = await RunFailingAsync(flow, flowId,
            new FlowInputs { ["joeNumber"] = 444, ["jimNumber"] = 555, ["suzzieNumber"] = 666 });

        Assert.Equal(
            [
                "CallJim.execute", "CallJoe.execute", "CallSuzzie.execute",
                "CallSuzzie.revert", "CallJoe.revert", "CallJim.revert",
            ],
            TaskJournal.Trace(flowId));
        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Equal(CallSuzzie.Message, exception.Failure!.Message);
        Assert.Equal(["System.IO.IOException", "System.SystemException", "System.Exception"], exception.Failure.ExceptionTypeNames.ToArray());
        Assert.Equal(555, TaskJournal.Revert(flowId, "CallJim").Arguments["jimNumber"]);
        Assert.Equal("Calling joe 444.", TaskJournal.Revert(flowId, "CallJoe").Result);
    }

    [Fact]
    [Trait("TaskFlow", "examples/graph_flow.py")]
    public async Task RunAsync_GraphFlowOfAdders_ComputesEveryValueFromInferredDependencies()
    {
        var flowId = NewFlowId();

        // Items are added as in the original; only requires/provides (through rebind) order them.
        var flow = Flow.Graph("root")
            .Add(Flow.Linear("nested_linear")
                .Add<AdderTask>("add2", provides: "x2", rebind: [("x", "y3"), ("y", "y4")])
                .Add<AdderTask>("add1", provides: "x1", rebind: [("x", "y1"), ("y", "y2")]))
            .Add<AdderTask>("add5", provides: "x5", rebind: [("x", "x1"), ("y", "x3")])
            .Add<AdderTask>("add3", provides: "x3", rebind: [("x", "x1"), ("y", "x2")])
            .Add<AdderTask>("add4", provides: "x4", rebind: [("x", "x2"), ("y", "y5")])
            .Add<AdderTask>("add6", provides: "x6", rebind: [("x", "x5"), ("y", "x4")])
            .Add<AdderTask>("add7", provides: "x7", rebind: [("x", "x6"), ("y", "x6")])
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["y1"] = 1, ["y2"] = 3, ["y3"] = 5, ["y4"] = 7, ["y5"] = 9 });

        Assert.Equal(4, result.Get<int>("x1"));
        Assert.Equal(12, result.Get<int>("x2"));
        Assert.Equal(16, result.Get<int>("x3"));
        Assert.Equal(21, result.Get<int>("x4"));
        Assert.Equal(20, result.Get<int>("x5"));
        Assert.Equal(41, result.Get<int>("x6"));
        Assert.Equal(82, result.Get<int>("x7"));
        long Order(string atom) => OrderOf(flowId, atom, TaskAction.Execute);
        Assert.True(Order("add2") < Order("add1")); // the nested linear flow keeps its order
        Assert.True(Order("add1") < Order("add3"));
        Assert.True(Order("add3") < Order("add5"));
        Assert.True(Order("add5") < Order("add6"));
        Assert.True(Order("add4") < Order("add6"));
        Assert.True(Order("add6") < Order("add7"));
    }

    [Fact]
    [Trait("TaskFlow", "examples/calculate_in_parallel.py")]
    public async Task RunAsync_CalculateInParallel_AddsPairsConcurrentlyThenSumsThem()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("root")
            .Add<ProviderTask>("provide-adder", provides: ["x1", "y1", "x2", "y2"], inject: ("values", new[] { 2, 3, 5, 8 }))
            .Add(Flow.Unordered("adders")
                .Add<AdderTask>("add", provides: "z1", rebind: [("x", "x1"), ("y", "y1")])
                .Add<AdderTask>("add-2", provides: "z2", rebind: [("x", "x2"), ("y", "y2")]))
            .Add<AdderTask>("sum-1", provides: "r", rebind: [("x", "z1"), ("y", "z2")])
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(5, result.Get<int>("z1"));
        Assert.Equal(13, result.Get<int>("z2"));
        Assert.Equal(18, result.Get<int>("r"));
        Assert.True(OrderOf(flowId, "add", TaskAction.Execute) < OrderOf(flowId, "sum-1", TaskAction.Execute));
        Assert.True(OrderOf(flowId, "add-2", TaskAction.Execute) < OrderOf(flowId, "sum-1", TaskAction.Execute));
    }

    [Fact]
    [Trait("TaskFlow", "examples/parallel_table_multiply.py")]
    public async Task RunAsync_ParallelTableMultiply_MultipliesEveryCellInAnUnorderedFlow()
    {
        var flowId = NewFlowId();
        const int Size = 4;
        const int Multiplier = 7;
        var cells = Flow.Unordered("multipliers");
        for (var row = 0; row < Size; row++)
        {
            for (var column = 0; column < Size; column++)
            {
                cells.Add<MultiplierTask>($"cell-{row}-{column}", provides: $"r{row}c{column}",
                    rebind: ("y", "multiplier"), inject: ("x", row * Size + column));
            }
        }

        var result = await RunAsync(Flow.Linear("table").Add(cells).Build(), flowId, new FlowInputs { ["multiplier"] = Multiplier });

        for (var row = 0; row < Size; row++)
        {
            for (var column = 0; column < Size; column++)
            {
                Assert.Equal((row * Size + column) * Multiplier, result.Get<int>($"r{row}c{column}"));
            }
        }

        Assert.Equal(Size * Size, TaskJournal.Executes(flowId).Count);
    }

    [Fact]
    [Trait("TaskFlow", "examples/build_a_car.py")]
    public async Task RunAsync_BuildACar_BuildsPartsBeforeInstallingThemAndVerifiesTheCar()
    {
        var flowId = NewFlowId();

        var result = await Client.RunAsync(BuildACar.FlowName, new FlowInputs { ["spec"] = BuildACar.Spec() }, Id(flowId)).WaitAsync(Timeout);

        Assert.Equal(FlowState.Success, result.State);
        Assert.True(result.Get<bool>("ran"));
        Assert.Equal("steel", result.Get<string>("frame"));
        Assert.True(result.Get<bool>("wheelsInstalled"));
        Assert.True((bool)TaskJournal.Execute(flowId, "verify").Result!);
        long Order(string atom) => OrderOf(flowId, atom, TaskAction.Execute);
        Assert.True(Order("startup") < Order("build-frame"));
        Assert.True(Order("build-frame") < Order("install-engine"));
        Assert.True(Order("build-engine") < Order("install-engine"));
        Assert.True(Order("build-doors") < Order("install-windows"));
        Assert.True(Order("install-windows") < Order("install-doors"));
        Assert.True(Order("install-engine") < Order("install-wheels"));
        Assert.True(Order("build-wheels") < Order("install-wheels"));
        foreach (var installed in new[] { "install-engine", "install-doors", "install-windows", "install-wheels" })
        {
            Assert.True(Order(installed) < Order("verify"));
        }

        Assert.Empty(TaskJournal.Reverts(flowId));
    }

    [Fact]
    [Trait("TaskFlow", "examples/build_a_car.py (the wrong car that does not match its spec)")]
    public async Task RunAsync_BuildACarAgainstAWrongSpec_VerifyFailsAndTheCarIsTakenApartAndTrashed()
    {
        var flowId = NewFlowId();
        var spec = BuildACar.Spec();
        spec["doors"] = 5;

        var exception = await Assert.ThrowsAsync<FlowFailedException>(
            () => Client.RunAsync(BuildACar.FlowName, new FlowInputs { ["spec"] = spec }, Id(flowId)).WaitAsync(Timeout));

        Assert.Equal(FlowState.Reverted, exception.State);
        Assert.Equal(["verify"], exception.Failures.Keys);
        Assert.Equal(BuildACar.MismatchMessage, exception.Failure!.Message);
        Assert.Equal(["System.Exception"], exception.Failure.ExceptionTypeNames.ToArray());

        // Every part is reverted after what was built from it, and "startup" (whose revert is the original's trash) last.
        long Revert(string atom) => OrderOf(flowId, atom, TaskAction.Revert);
        Assert.True(Revert("verify") < Revert("install-wheels"));
        Assert.True(Revert("install-wheels") < Revert("build-wheels"));
        Assert.True(Revert("install-wheels") < Revert("build-engine"));
        Assert.True(Revert("install-doors") < Revert("install-windows"));
        Assert.True(Revert("install-windows") < Revert("build-doors"));
        Assert.True(Revert("install-engine") < Revert("build-frame"));
        var reverts = TaskJournal.Reverts(flowId);
        Assert.Equal(10, reverts.Count);
        Assert.Equal("startup", reverts[^1].AtomName);
        Assert.All(reverts, revert => Assert.Equal(["verify"], revert.FlowFailures!.Keys));
    }
}
