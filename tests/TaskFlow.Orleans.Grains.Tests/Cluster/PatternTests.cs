using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Linear, unordered, graph and nested flows run to SUCCESS in the right order with the right results (TaskFlow's test_engines.py).</summary>
[Collection(ClusterCollection.Name)]
public sealed class PatternTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task RunAsync_LinearFlow_RunsTasksInOrderAndPassesResultsAlong()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("linear")
            .Add<AdderTask>("add", provides: "sum")
            .Add<MultiplierTask>("multiply", provides: "product", rebind: ("x", "sum"))
            .Add<EchoTask>("echo", provides: "final", rebind: ("value", "product"))
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["x"] = 2, ["y"] = 3 });

        Assert.Equal(FlowState.Success, result.State);
        Assert.Equal(5, result.Get<int>("sum"));
        Assert.Equal(15, result.Get<int>("product"));
        Assert.Equal(15, result.Get<int>("final"));
        Assert.Equal(["add.execute", "multiply.execute", "echo.execute"], TaskJournal.Trace(flowId));
        Assert.Equal(5, TaskJournal.Execute(flowId, "multiply").Arguments["x"]);
        Assert.Equal(3, TaskJournal.Execute(flowId, "multiply").Arguments["y"]);
        Assert.Equal(15, TaskJournal.Execute(flowId, "echo").Arguments["value"]);
        Assert.All(result.Snapshot.Atoms, atom => Assert.Equal(AtomState.Success, atom.State));
        Assert.Equal(15, result.Snapshot.Atom("multiply").Result);
    }

    [Fact]
    public async Task RunAsync_UnorderedFlow_RunsEveryTaskOnceAndReturnsEveryResult()
    {
        var flowId = NewFlowId();
        var flow = Flow.Unordered("unordered");
        for (var i = 1; i <= 5; i++)
        {
            flow.Add<EchoTask>($"echo-{i}", provides: $"v{i}", inject: ("value", i * 10));
        }

        var result = await RunAsync(flow.Build(), flowId);

        Assert.Equal(FlowState.Success, result.State);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i * 10, result.Get<int>($"v{i}"));
            Assert.Equal(i * 10, TaskJournal.Execute(flowId, $"echo-{i}").Result);
        }

        Assert.Equal(5, TaskJournal.For(flowId).Count);
    }

    [Fact]
    public async Task RunAsync_UnorderedFlow_RunsItemsAtTheSameTime()
    {
        var flowId = NewFlowId();
        var flow = Flow.Unordered("together")
            .Add<GatedTask>("first", provides: "a", inject: ("value", "A"))
            .Add<GatedTask>("second", provides: "b", inject: ("value", "B"))
            .Build();

        var handle = await StartAsync(flow, flowId);

        // Both are running before either may finish: had they been run one after the other, the second would never start.
        await Task.WhenAll(TaskGates.WaitEnteredAsync(flowId, "first"), TaskGates.WaitEnteredAsync(flowId, "second")).WaitAsync(Timeout);
        TaskGates.Open(flowId, "first");
        TaskGates.Open(flowId, "second");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);

        Assert.Equal("A", result.Get<string>("a"));
        Assert.Equal("B", result.Get<string>("b"));
    }

    [Fact]
    public async Task RunAsync_GraphFlow_OrdersTasksByInferredDependencies()
    {
        var flowId = NewFlowId();

        // Added in the reverse of the order they must run: the edges come only from requires/provides.
        var flow = Flow.Graph("graph")
            .Add<MultiplierTask>("c", provides: "c", rebind: [("x", "b"), ("y", "k")])
            .Add<AdderTask>("b", provides: "b", rebind: [("x", "a"), ("y", "k")])
            .Add<EchoTask>("a", provides: "a", inject: ("value", 1))
            .Add<NoopTask>("independent")
            .Build();

        var result = await RunAsync(flow, flowId, new FlowInputs { ["k"] = 10 });

        Assert.Equal(1, result.Get<int>("a"));
        Assert.Equal(11, result.Get<int>("b"));
        Assert.Equal(110, result.Get<int>("c"));
        Assert.True(OrderOf(flowId, "a", TaskAction.Execute) < OrderOf(flowId, "b", TaskAction.Execute));
        Assert.True(OrderOf(flowId, "b", TaskAction.Execute) < OrderOf(flowId, "c", TaskAction.Execute));
        Assert.Single(TaskJournal.For(flowId), e => e.AtomName == "independent");
        Assert.Equal(4, TaskJournal.For(flowId).Count);
    }

    [Fact]
    public async Task RunAsync_NestedFlowsThreeDeep_RunInDependencyOrderWithResultsByName()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("root")
            .Add<EchoTask>("start", provides: "seed", inject: ("value", 2))
            .Add(Flow.Unordered("level-2")
                .Add<MultiplierTask>("double", provides: "doubled", rebind: ("x", "seed"), inject: ("y", 2))
                .Add(Flow.Linear("level-3")
                    .Add<AdderTask>("add-one", provides: "plusOne", rebind: ("x", "seed"), inject: ("y", 1))
                    .Add<MultiplierTask>("square", provides: "squared", rebind: [("x", "plusOne"), ("y", "plusOne")])))
            .Add<AdderTask>("total", provides: "total", rebind: [("x", "doubled"), ("y", "squared")])
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(2, result.Get<int>("seed"));
        Assert.Equal(4, result.Get<int>("doubled"));
        Assert.Equal(3, result.Get<int>("plusOne"));
        Assert.Equal(9, result.Get<int>("squared"));
        Assert.Equal(13, result.Get<int>("total"));
        long Order(string atom) => OrderOf(flowId, atom, TaskAction.Execute);
        Assert.True(Order("start") < Order("double"));
        Assert.True(Order("start") < Order("add-one"));
        Assert.True(Order("add-one") < Order("square"));
        Assert.True(Order("double") < Order("total"));
        Assert.True(Order("square") < Order("total"));
        Assert.Equal(5, result.Snapshot.Atoms.Length);
        Assert.All(result.Snapshot.Atoms, atom => Assert.Equal(AtomState.Success, atom.State));
    }

    [Fact]
    public async Task RunAsync_RegisteredFactoryName_RunsTheFactoryFlow()
    {
        var flowId = NewFlowId();

        var result = await Client.RunAsync(TestTaskRegistration.AddThenMultiplyFlow, new FlowInputs { ["x"] = 4, ["y"] = 5 }, Id(flowId))
            .WaitAsync(Timeout);

        Assert.Equal(9, result.Get<int>("sum"));
        Assert.Equal(45, result.Get<int>("product"));
        Assert.Equal(TestTaskRegistration.AddThenMultiplyFlow, result.Snapshot.FactoryName);
        Assert.Equal("add-then-multiply", result.Snapshot.FlowName);
        Assert.Equal(["add.execute", "multiply.execute"], TaskJournal.Trace(flowId));
    }

    [Fact]
    public async Task RunAsync_LongLinearFlow_RunsEveryStepInOrder()
    {
        const int Length = 300;
        var flowId = NewFlowId();
        var flow = Flow.Linear("long").Add<AdderTask>("step-1", provides: "s1", inject: [("x", 0), ("y", 1)]);
        for (var i = 2; i <= Length; i++)
        {
            flow.Add<AdderTask>($"step-{i}", provides: $"s{i}", rebind: ("x", $"s{i - 1}"), inject: ("y", 1));
        }

        var result = await RunAsync(flow.Build(), flowId);

        Assert.Equal(Length, result.Get<int>($"s{Length}"));
        Assert.Equal(Enumerable.Range(1, Length).Select(i => $"step-{i}.execute"), TaskJournal.Trace(flowId));
    }

    [Fact]
    public async Task RunAsync_ManyFlowsAtOnce_EachGetsItsOwnInputsAndResults()
    {
        var flowIds = Enumerable.Range(0, 20).Select(i => NewFlowId()).ToList();

        var results = await Task.WhenAll(flowIds.Select((flowId, i) => Client.RunAsync(
            TestTaskRegistration.AddThenMultiplyFlow, new FlowInputs { ["x"] = i, ["y"] = 2 }, Id(flowId)).WaitAsync(Timeout)));

        for (var i = 0; i < flowIds.Count; i++)
        {
            Assert.Equal(flowIds[i], results[i].FlowId);
            Assert.Equal((i + 2) * 2, results[i].Get<int>("product"));
            Assert.Equal(["add.execute", "multiply.execute"], TaskJournal.Trace(flowIds[i]));
        }
    }

    [Fact]
    [Trait("TaskFlow", "examples/buildsystem.py (targets ordered by links, no data passed)")]
    public async Task RunAsync_GraphWithExplicitLinks_RunsNoopTasksInLinkOrder()
    {
        var flowId = NewFlowId();
        var flow = Flow.Graph("build")
            .Add<NoopTask>("package")
            .Add<NoopTask>("link")
            .Add<NoopTask>("compile-a")
            .Add<NoopTask>("compile-b")
            .Add<NoopTask>("docs")
            .Link("compile-a", "link")
            .Link("compile-b", "link")
            .Link("link", "package")
            .Link("docs", "package")
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal(FlowState.Success, result.State);
        long Order(string atom) => OrderOf(flowId, atom, TaskAction.Execute);
        Assert.True(Order("compile-a") < Order("link"));
        Assert.True(Order("compile-b") < Order("link"));
        Assert.True(Order("link") < Order("package"));
        Assert.True(Order("docs") < Order("package"));
        Assert.Equal(5, TaskJournal.Executes(flowId).Count);
    }
}
