using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>Bad input gets a clear exception at once, and a rejected flow leaves nothing stored.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidationTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private async Task AssertNothingStoredAsync(string flowId)
    {
        var notFound = await Assert.ThrowsAsync<FlowNotFoundException>(() => Client.GetFlowHandle(flowId).GetStatusAsync().WaitAsync(Timeout));
        Assert.Equal(flowId, notFound.FlowId);
        Assert.Null(await StorageGrain(flowId).OpenAsync().WaitAsync(Timeout));
        Assert.Empty(TaskJournal.For(flowId));
    }

    [Fact]
    public async Task StartAsync_UnknownTaskName_ThrowsFlowCompilationExceptionAndStoresNothing()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("bad").Add("no.such-task", "ghost").Build();

        var exception = await Assert.ThrowsAsync<FlowCompilationException>(() => StartAsync(flow, flowId));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("unknown-task", problem.Code);
        Assert.Equal("ghost", problem.AtomName);
        Assert.Contains("no.such-task", problem.Message);
        Assert.Contains(EchoTask.TaskName, problem.Message); // lists what is registered
        Assert.Equal("bad", exception.FlowName);
        await AssertNothingStoredAsync(flowId);
    }

    [Fact]
    public async Task StartAsync_AmbiguousClassName_IsRefusedListingTheFullNamesAndStoresNothing()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("calls").Add("CallJim", "jim", inject: ("jimNumber", 1)).Build();

        var exception = await Assert.ThrowsAsync<FlowCompilationException>(() => StartAsync(flow, flowId));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("ambiguous-task", problem.Code);
        Assert.Equal("calls", problem.FlowName);
        Assert.Equal("jim", problem.AtomName);
        Assert.Contains("several registered tasks have that class name: TaskFlow.Orleans.Testing.Examples.SameName.Home.CallJim, " +
            "TaskFlow.Orleans.Testing.Examples.SameName.Work.CallJim. Name the task by its full name", problem.Message, StringComparison.Ordinal);
        await AssertNothingStoredAsync(flowId);
    }

    [Fact]
    public async Task RunAsync_TwoClassesOfOneName_RunSideBySide_AndAUniqueClassNameResolves()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("calls")
            .Add<Testing.Examples.SameName.Home.CallJim>(provides: "home", inject: ("jimNumber", 1))
            .Add<Testing.Examples.SameName.Work.CallJim>(provides: "work", inject: ("jimNumber", 2))
            .Add("CallJimsBoss", "boss", provides: "boss", inject: ("jimNumber", 3))
            .Build();

        var result = await RunAsync(flow, flowId);

        Assert.Equal("home: 1", result.Get<string>("home"));
        Assert.Equal("work: 2", result.Get<string>("work"));
        Assert.Equal("boss of 3", result.Get<string>("boss"));
        // Default atom names are the task names, fully qualified as in TaskFlow; the class name alone became the full name.
        Assert.Equal(
            ["TaskFlow.Orleans.Testing.Examples.SameName.Home.CallJim", "TaskFlow.Orleans.Testing.Examples.SameName.Work.CallJim", "boss"],
            result.Snapshot.Atoms.Select(a => a.Name));
        Assert.Equal("TaskFlow.Orleans.Testing.Examples.SameName.Work.CallJimsBoss", result.Snapshot.Atom("boss").TaskName);
    }

    [Fact]
    public async Task StartAsync_MissingRequirement_ThrowsFlowCompilationExceptionNamingItAndStoresNothing()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("bad").Add<AdderTask>("add").Build();

        var exception = await Assert.ThrowsAsync<FlowCompilationException>(
            () => Client.StartAsync(flow, new FlowInputs { ["x"] = 1 }, Id(flowId)).WaitAsync(Timeout));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("missing-requirement", problem.Code);
        Assert.Equal("add", problem.AtomName);
        Assert.Contains("'y'", problem.Message);
        await AssertNothingStoredAsync(flowId);
    }

    [Fact]
    public async Task StartAsync_GraphWithCycle_ThrowsFlowCompilationExceptionAndStoresNothing()
    {
        var flowId = NewFlowId();
        var flow = Flow.Graph("bad")
            .Add<EchoTask>("a", provides: "a", rebind: ("value", "b"))
            .Add<EchoTask>("b", provides: "b", rebind: ("value", "a"))
            .Build();

        var exception = await Assert.ThrowsAsync<FlowCompilationException>(() => StartAsync(flow, flowId));

        Assert.Contains(exception.Problems, p => p.Code == "cycle");
        await AssertNothingStoredAsync(flowId);
    }

    [Fact]
    public async Task StartAsync_SeveralProblems_ListsEveryOneOfThem()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("bad")
            .Add("no.such-task", "ghost")
            .Add<AdderTask>("add")
            .Add(Flow.Graph("loop")
                .Add<EchoTask>("a", provides: "a", rebind: ("value", "b"))
                .Add<EchoTask>("b", provides: "b", rebind: ("value", "a")))
            .Build();

        var exception = await Assert.ThrowsAsync<FlowCompilationException>(() => StartAsync(flow, flowId));

        var codes = exception.Problems.Select(p => p.Code).ToHashSet();
        Assert.Contains("unknown-task", codes);
        Assert.Contains("missing-requirement", codes);
        Assert.Contains("cycle", codes);
        Assert.Contains($"({exception.Problems.Length} problems)", exception.Message);
        await AssertNothingStoredAsync(flowId);
    }

    [Fact]
    public async Task StartAsync_AfterARejectedStart_TheSameIdCanStartAValidFlow()
    {
        var flowId = NewFlowId();
        await Assert.ThrowsAsync<FlowCompilationException>(() => StartAsync(Flow.Linear("bad").Add("no.such-task", "ghost").Build(), flowId));

        var result = await RunAsync(Flow.Linear("good").Add<EchoTask>("echo", provides: "v", inject: ("value", 1)).Build(), flowId);

        Assert.Equal(1, result.Get<int>("v"));
    }

    [Fact]
    public async Task GetFlowHandle_UnknownFlowId_EveryQueryThrowsFlowNotFoundException()
    {
        var handle = Client.GetFlowHandle(NewFlowId());

        await Assert.ThrowsAsync<FlowNotFoundException>(() => handle.GetStatusAsync().WaitAsync(Timeout));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => handle.GetSnapshotAsync().WaitAsync(Timeout));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => handle.GetResultAsync().WaitAsync(Timeout));
        await Assert.ThrowsAsync<FlowNotFoundException>(() => WatchAsync(handle));
    }

    [Fact]
    public async Task StartAsync_SameIdTwice_ThrowsFlowAlreadyExistsExceptionAndLeavesTheFirstRunAlone()
    {
        var flowId = NewFlowId();
        var first = Flow.Linear("first").Add<EchoTask>("echo", provides: "v", inject: ("value", 1)).Build();
        var second = Flow.Linear("second").Add<EchoTask>("echo", provides: "v", inject: ("value", 2)).Build();
        await RunAsync(first, flowId);

        var exception = await Assert.ThrowsAsync<FlowAlreadyExistsException>(() => StartAsync(second, flowId));

        Assert.Equal(flowId, exception.FlowId);
        var snapshot = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal("first", snapshot.FlowName);
        Assert.Equal(1, snapshot.Results["v"]);
        Assert.Single(TaskJournal.For(flowId));
    }

    [Fact]
    public async Task StartAsync_SameIdWhileTheFirstRuns_ThrowsFlowAlreadyExistsException()
    {
        var flowId = NewFlowId();
        var handle = await StartAsync(Flow.Linear("first").Add<GatedTask>("gate").Build(), flowId);
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        await Assert.ThrowsAsync<FlowAlreadyExistsException>(() => StartAsync(Flow.Linear("second").Add<NoopTask>("noop").Build(), flowId));

        TaskGates.Open(flowId, "gate");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, result.State);
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.AtomName == "noop");
    }

    [Fact]
    public async Task StartAsync_UnknownFactoryName_ThrowsTaskNotRegisteredExceptionAndStoresNothing()
    {
        var flowId = NewFlowId();

        var exception = await Assert.ThrowsAsync<TaskNotRegisteredException>(
            () => Client.StartAsync("no.such-flow", options: Id(flowId)).WaitAsync(Timeout));

        Assert.Equal("no.such-flow", exception.Name);
        Assert.Contains(TestTaskRegistration.AddThenMultiplyFlow, exception.Message); // lists what is registered
        await AssertNothingStoredAsync(flowId);
    }
}
