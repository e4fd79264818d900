using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TaskFlow.Orleans.Cluster;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Execution;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;
using TaskFlow.Orleans.Grains.Diagnostics;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Storage;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Fixtures;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Cluster;

/// <summary>
/// The engine's internals (the logbook grain, the executors, progress reports) refuse the cluster's external client with
/// <see cref="InternalGrainAccessException"/>, and nothing stored changes; code inside a silo still reaches them, and the
/// public operations still answer the client.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloOnlyTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static FlowDefinition EchoFlow() => Flow.Linear("echoes")
        .Add<EchoTask>("one", provides: "one", inject: ("value", 1L))
        .Add<EchoTask>("two", provides: "two", inject: ("value", 2L))
        .Build();

    private static TaskRequest ForgedExecute(string flowId) => new()
    {
        FlowId = flowId,
        AtomName = "one",
        TaskName = EchoTask.TaskName,
        ExecutionId = $"{flowId}/one/99",
        Arguments = new() { ["value"] = "forged" },
    };

    private static RevertRequest ForgedRevert(string flowId) => new()
    {
        FlowId = flowId,
        AtomName = "one",
        TaskName = EchoTask.TaskName,
        ExecutionId = $"{flowId}/one/1",
        Arguments = new() { ["value"] = 1L },
        Result = 1L,
        FlowFailures = [],
    };

    private static void AssertRefused(InternalGrainAccessException refused, string interfaceName, string methodName)
    {
        Assert.Equal(interfaceName, refused.InterfaceName);
        Assert.Equal(methodName, refused.MethodName);
        Assert.Contains($"{interfaceName}.{methodName}", refused.Message);
        Assert.Contains("ITaskFlowClient", refused.Message);
    }

    /// <summary>What the run looks like through the public client: its stored snapshot and its engine's, which must agree.</summary>
    private async Task<string> PublicViewAsync(string flowId)
    {
        var stored = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        var engine = await Client.GetFlowHandle(flowId).GetSnapshotAsync().WaitAsync(Timeout);
        static string Describe(FlowSnapshot s) => $"{s.State}: " + string.Join(", ",
            s.Atoms.Select(a => $"{a.Name}={a.State}/{a.Intention}/{a.Result}/attempt {a.Attempt}/calls {a.Calls}/progress {a.Progress}"));
        Assert.Equal(Describe(stored), Describe(engine));
        return Describe(stored);
    }

    [Fact]
    public async Task StorageGrain_ReadFromTheClient_IsRefused()
    {
        var flowId = NewFlowId();
        await RunAsync(EchoFlow(), flowId);
        var storage = Cluster.Client.GetGrain<IStorageGrain>(flowId);

        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(() => storage.OpenAsync().WaitAsync(Timeout)),
            nameof(IStorageGrain), nameof(IStorageGrain.OpenAsync));
        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(() => storage.GetSnapshotAsync().WaitAsync(Timeout)),
            nameof(IStorageGrain), nameof(IStorageGrain.GetSnapshotAsync));
    }

    [Fact]
    public async Task StorageGrain_RecordOrPurgeOfAFinishedRunFromTheClient_IsRefusedAndTheRunIsUnchanged()
    {
        var flowId = NewFlowId();
        await RunAsync(EchoFlow(), flowId);
        var before = await PublicViewAsync(flowId);
        var logbook = await StorageGrain(flowId).OpenAsync().WaitAsync(Timeout);
        Assert.NotNull(logbook);
        var forged = logbook.Atoms[0].Clone();
        forged.Result = "forged";
        var run = logbook.Run.Clone();
        run.State = FlowState.Failure;
        var changes = new RunChanges { Run = run, Atoms = [new AtomChange(0, forged, AtomOutcome.Executed)] };
        var storage = Cluster.Client.GetGrain<IStorageGrain>(flowId);

        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(
                () => storage.RecordAsync(logbook.Run.Sequence, changes, [], [], durable: true).WaitAsync(Timeout)),
            nameof(IStorageGrain), nameof(IStorageGrain.RecordAsync));
        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(() => storage.PurgeAsync().WaitAsync(Timeout)),
            nameof(IStorageGrain), nameof(IStorageGrain.PurgeAsync));

        Assert.Equal(before, await PublicViewAsync(flowId));
        var after = await Client.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, after.State);
        Assert.Equal(1L, after.Atom("one").Result);
        Assert.Equal(2L, after.Atom("two").Result);
    }

    [Fact]
    public async Task Executors_ExecuteFromTheClient_IsRefusedAndNoTaskRuns()
    {
        var flowId = NewFlowId();
        await RunAsync(EchoFlow(), flowId);
        var before = await PublicViewAsync(flowId);

        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(
                () => Cluster.Client.GetGrain<ITaskExecutorGrain>(0).ExecuteAsync(ForgedExecute(flowId)).WaitAsync(Timeout)),
            nameof(ITaskExecutorGrain), nameof(ITaskExecutorGrain.ExecuteAsync));
        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(
                () => Cluster.Client.GetGrain<IRoutedTaskExecutorGrain>($"{TestSiloConfigurator.GpuCapability}/0").ExecuteAsync(ForgedExecute(flowId)).WaitAsync(Timeout)),
            nameof(IRoutedTaskExecutorGrain), nameof(IRoutedTaskExecutorGrain.ExecuteAsync));

        Assert.Equal(["one", "two"], TaskJournal.Executes(flowId).Select(e => e.AtomName));
        Assert.DoesNotContain(TaskJournal.For(flowId), e => e.ExecutionId.EndsWith("/99", StringComparison.Ordinal));
        Assert.Equal(before, await PublicViewAsync(flowId));
    }

    [Fact]
    public async Task Executors_RevertFromTheClient_IsRefusedAndNothingIsReverted()
    {
        var flowId = NewFlowId();
        await RunAsync(EchoFlow(), flowId);
        var before = await PublicViewAsync(flowId);

        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(
                () => Cluster.Client.GetGrain<ITaskExecutorGrain>(0).RevertAsync(ForgedRevert(flowId)).WaitAsync(Timeout)),
            nameof(ITaskExecutorGrain), nameof(ITaskExecutorGrain.RevertAsync));
        AssertRefused(await Assert.ThrowsAsync<InternalGrainAccessException>(
                () => Cluster.Client.GetGrain<IRoutedTaskExecutorGrain>($"{TestSiloConfigurator.GpuCapability}/0").RevertAsync(ForgedRevert(flowId)).WaitAsync(Timeout)),
            nameof(IRoutedTaskExecutorGrain), nameof(IRoutedTaskExecutorGrain.RevertAsync));

        Assert.Empty(TaskJournal.Reverts(flowId));
        Assert.Equal(before, await PublicViewAsync(flowId));
    }

    [Fact]
    public async Task Executors_CalledFromInsideASiloByNonGrainCode_RunTheTask()
    {
        // The rule refuses external clients only: code in a silo's process (here, the silo's own grain factory, used
        // outside any grain) reaches the executors, as a task reporting progress from a thread-pool thread must.
        var flowId = NewFlowId();

        var result = await SiloGrains.GetGrain<ITaskExecutorGrain>(0).ExecuteAsync(ForgedExecute(flowId)).WaitAsync(Timeout);

        Assert.True(result.IsSuccess, result.Failure?.Message);
        Assert.Equal("forged", result.Value);
        Assert.Equal("forged", Assert.Single(TaskJournal.Executes(flowId)).Result);
    }

    [Fact]
    public async Task ReportProgress_FromTheClient_IsRefusedAndTheProgressIsUnchanged_WhileTheSameReportFromASiloApplies()
    {
        using var refusals = new RefusalRecorder();
        var flowId = NewFlowId();
        var flow = Flow.Linear("progressing").Add(TestTaskRegistration.ProgressTask, "work", provides: "done").Build();
        var handle = await StartAsync(flow, flowId);
        var during = await WaitForAsync(handle, s => s.Atom("work").Progress >= 0.5, "progress 0.5");
        var executionId = $"{flowId}/work/{during.Atom("work").Attempt}";

        // One-way: the client gets no answer, so wait until a silo has refused it, then look at the run.
        await Cluster.Client.GetGrain<IFlowGrain>(flowId).ReportProgressAsync("work", executionId, 1_000_000, 0.9, "spoofed").WaitAsync(Timeout);
        await refusals.WaitForAsync($"{nameof(IFlowGrain)}.{nameof(IFlowGrain.ReportProgressAsync)}", Timeout);

        var refused = await handle.GetSnapshotAsync().WaitAsync(Timeout);
        Assert.Equal(AtomState.Running, refused.Atom("work").State);
        Assert.Equal(0.5, refused.Atom("work").Progress);
        Assert.Equal("half way", refused.Atom("work").ProgressDetails);

        // The same report from inside a silo is applied: the client's was refused for who sent it, not for what it said.
        await SiloGrains.GetGrain<IFlowGrain>(flowId).ReportProgressAsync("work", executionId, 1_000_000, 0.9, "from a silo").WaitAsync(Timeout);
        var applied = await WaitForAsync(handle, s => s.Atom("work").Progress == 0.9, "progress 0.9");
        Assert.Equal("from a silo", applied.Atom("work").ProgressDetails);

        TaskGates.Open(flowId, "work");
        var result = await handle.GetResultAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, result.Snapshot.State);
    }

    [Fact]
    public async Task PublicOperations_OfTheFlowIndexAndClusterGrains_AnswerTheClient()
    {
        var flowId = NewFlowId();
        var flow = Flow.Linear("gated")
            .Add<GatedTask>("wait", provides: "waited")
            .Add<EchoTask>("after", provides: "after", inject: ("value", 3L))
            .Build();
        var flowGrain = Cluster.Client.GetGrain<IFlowGrain>(flowId);

        Assert.Equal(FlowState.Running, (await flowGrain.StartAsync(new FlowStartRequest { Definition = flow }).WaitAsync(Timeout)).State);
        await TaskGates.WaitEnteredAsync(flowId, "wait").WaitAsync(Timeout);
        Assert.Equal(FlowState.Running, (await flowGrain.GetSnapshotAsync().WaitAsync(Timeout)).State);
        Assert.NotEmpty((await flowGrain.GetEventsAsync(0, TimeSpan.Zero).WaitAsync(Timeout)).Events);
        await flowGrain.SuspendAsync().WaitAsync(Timeout);
        TaskGates.Open(flowId, "wait");
        var suspended = await WaitForAsync(Client.GetFlowHandle(flowId), s => s.State == FlowState.Suspended, "SUSPENDED");
        Assert.Equal(AtomState.Success, suspended.Atom("wait").State);
        Assert.Equal(AtomState.Pending, suspended.Atom("after").State);
        await flowGrain.ResumeAsync().WaitAsync(Timeout);
        Assert.Equal(FlowState.Success, (await flowGrain.WaitForCompletionAsync(TimeSpan.FromSeconds(20)).WaitAsync(Timeout)).State);
        Assert.Equal(FlowState.Success, (await flowGrain.CancelAsync("too late").WaitAsync(Timeout)).State);

        var index = Cluster.Client.GetGrain<IRunIndexGrain>(0);
        Assert.Equal(FlowState.Success, (await index.GetStoredSnapshotAsync(flowId).WaitAsync(Timeout)).State);
        Assert.Contains((await index.GetGraphAsync(flowId).WaitAsync(Timeout)).Nodes, n => n.Name == "wait");
        Assert.NotEmpty((await index.ListAsync(new FlowQuery()).WaitAsync(Timeout)).Flows);

        var cluster = Cluster.Client.GetGrain<IClusterGrain>(0);
        Assert.Contains((await cluster.GetClusterAsync().WaitAsync(Timeout)).Silos, s => s.Status == "Active" && s.Tasks.Contains(EchoTask.TaskName));
        Assert.Contains((await cluster.GetCatalogAsync().WaitAsync(Timeout)).Tasks, t => t.Name == EchoTask.TaskName);
    }

    /// <summary>Records the calls silos refused (the <c>taskflow.calls.refused</c> counter), as "Interface.Method".</summary>
    private sealed class RefusalRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _refused = new();

        public RefusalRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TaskFlowMetrics.MeterName && instrument.Name == TaskFlowMetrics.CallsRefused.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                string? interfaceName = null, methodName = null;
                foreach (var tag in tags)
                {
                    interfaceName = tag.Key == "interface" ? tag.Value as string : interfaceName;
                    methodName = tag.Key == "method" ? tag.Value as string : methodName;
                }

                _refused.Enqueue($"{interfaceName}.{methodName}");
            });
            _listener.Start();
        }

        /// <summary>Polls until a call to <paramref name="method"/> was refused, failing after <paramref name="timeout"/>.</summary>
        public async Task WaitForAsync(string method, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!_refused.Contains(method))
            {
                Assert.True(DateTime.UtcNow < deadline, $"No silo refused {method} within {timeout.TotalSeconds} s; refused: {string.Join(", ", _refused)}");
                await Task.Delay(20); // a poll of a condition, bounded by the deadline above
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
