using System.Diagnostics;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Diagnostics;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Journal;

namespace TaskFlow.Orleans.Grains.Tests.Observability;

/// <summary>A run's trace as an OpenTelemetry exporter sees it: the client's span is the ancestor of the run span (Orleans'
/// activity propagation), the run span of every execute and revert span; attributes say what ran and how it ended, a retry
/// decision is an event; and no masked value appears anywhere in the trace.</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests(TracingClusterFixture fixture)
{
    private const string Password = "hunter2-trace-horse";

    private static FlowDefinition TracedFlow() => Flow.Linear("traced-flow")
        .Add(TracingClusterFixture.LoginTask, "login", provides: "token")
        .Add(Flow.Linear("guarded")
            .WithRetry(Retry.Times(3, name: "r1", provides: "attempt"))
            .Add(TracingClusterFixture.FailUntilTask, "flaky", provides: "succeeded-at"))
        .Add(TracingClusterFixture.UseTask, "use", provides: "length")
        .Build();

    [Fact]
    public async Task Run_UnderAClientSpan_ExportsClientRunAndAtomSpanTreeWithAttributesAndNoMaskedValue()
    {
        var flowId = $"traced-{Guid.NewGuid():N}";
        ActivityTraceId traceId;
        using (var client = TracingClusterFixture.ClientSource.StartActivity("client: boot"))
        {
            Assert.NotNull(client);
            traceId = client.TraceId;
            var result = await fixture.Client.RunAsync(TracedFlow(),
                new FlowInputs { ["password"] = Password, ["succeedAt"] = 2L }, new StartFlowOptions { FlowId = flowId });
            Assert.Equal(("tok-" + Password).Length, result.Get<int>("length"));
        }

        var spans = fixture.Spans.OfTrace(traceId);
        var byId = spans.ToDictionary(s => s.SpanId);
        var clientSpan = Assert.Single(spans, s => s.Source.Name == TracingClusterFixture.ClientSource.Name);
        var run = Assert.Single(spans, s => s.Source.Name == TaskFlowTracing.ActivitySourceName && s.OperationName.StartsWith(TaskFlowTracing.RunSpanPrefix, StringComparison.Ordinal));
        Assert.Equal("taskflow.run traced-flow", run.DisplayName);
        Assert.Equal(flowId, run.GetTagItem("taskflow.flow.id"));
        Assert.Equal("traced-flow", run.GetTagItem("taskflow.flow.name"));
        Assert.Equal("start", run.GetTagItem("taskflow.run.segment"));
        Assert.Equal("outcome", run.GetTagItem("taskflow.run.end"));
        Assert.Equal("SUCCESS", run.GetTagItem("taskflow.flow.state"));
        Assert.Equal(ActivityStatusCode.Ok, run.Status);
        Assert.True(IsAncestor(clientSpan, run, byId), "The client's span is not an ancestor of the run span.");

        // The retry decision: 'flaky' failed on its first attempt and r1 chose RETRY.
        var decision = Assert.Single(run.Events, e => e.Name == TaskFlowTracing.RetryDecisionEvent);
        var decisionTags = decision.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("flaky", decisionTags["taskflow.atom.name"]);
        Assert.Equal("r1", decisionTags["taskflow.retry.name"]);
        Assert.Equal("RETRY", decisionTags["taskflow.retry.strategy"]);
        Assert.Equal(true, decisionTags["taskflow.retry.applied"]);

        var atoms = spans.Where(s => s.Source.Name == TaskFlowTracing.ActivitySourceName && s != run).ToList();
        Assert.All(atoms, atom =>
        {
            Assert.True(IsAncestor(run, atom, byId), $"The run span is not an ancestor of {atom.DisplayName}.");
            Assert.Equal(flowId, atom.GetTagItem("taskflow.flow.id"));
        });
        var calls = atoms.Select(a => (a.DisplayName, State: (string?)a.GetTagItem("taskflow.atom.state"))).OrderBy(c => c.DisplayName).ToList();
        Assert.Equal(
            [
                ("taskflow.execute flaky", "FAILURE"), ("taskflow.execute flaky", "SUCCESS"), ("taskflow.execute login", "SUCCESS"),
                ("taskflow.execute use", "SUCCESS"), ("taskflow.revert flaky", "REVERTED"),
            ],
            calls.OrderBy(c => c.DisplayName).ThenBy(c => c.State).ToList());

        var failed = Assert.Single(atoms, a => "FAILURE".Equals(a.GetTagItem("taskflow.atom.state")));
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.GetTagItem("taskflow.failure.type"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(TracingClusterFixture.FailUntilTask, failed.GetTagItem("taskflow.task.name"));
        var retried = Assert.Single(atoms, a => a.DisplayName == "taskflow.execute flaky" && "SUCCESS".Equals(a.GetTagItem("taskflow.atom.state")));
        Assert.Equal($"{flowId}/flaky/{retried.GetTagItem("taskflow.atom.attempt")}", retried.GetTagItem("taskflow.execution.id"));
        Assert.True((int)retried.GetTagItem("taskflow.atom.attempt")! > (int)failed.GetTagItem("taskflow.atom.attempt")!);
        var login = Assert.Single(atoms, a => a.DisplayName == "taskflow.execute login");
        Assert.Equal("login", login.GetTagItem("taskflow.atom.name"));
        Assert.Equal(TracingClusterFixture.LoginTask, login.GetTagItem("taskflow.task.name"));

        // Nothing of the masked input or result, anywhere in the trace (TaskFlow's spans and Orleans' grain-call spans alike).
        Assert.All(spans, span => Assert.DoesNotContain("hunter2", Describe(span), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SuspendThenResume_TwoRunSegmentsEachUnderTheCallThatStartedIt()
    {
        var flowId = $"segments-{Guid.NewGuid():N}";
        var flow = Flow.Linear("segmented-flow")
            .Add(TracingClusterFixture.GateTask, "gate", provides: "gated")
            .Add(TracingClusterFixture.LoginTask, "login", provides: "token")
            .Build();
        FlowHandle handle;
        Activity startCall, resumeCall;
        using (startCall = TracingClusterFixture.ClientSource.StartActivity("client: start")!)
        {
            handle = await fixture.Client.StartAsync(flow, new FlowInputs { ["password"] = Password }, new StartFlowOptions { FlowId = flowId });
        }

        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);
        await handle.SuspendAsync().WaitAsync(Timeout);
        TaskGates.Open(flowId, "gate");
        Assert.Equal(FlowState.Suspended, (await handle.GetResultAsync().WaitAsync(Timeout)).State);
        using (resumeCall = TracingClusterFixture.ClientSource.StartActivity("client: resume")!)
        {
            await handle.ResumeAsync().WaitAsync(Timeout);
        }

        Assert.Equal(FlowState.Success, (await handle.GetResultAsync().WaitAsync(Timeout)).State);

        var first = fixture.Spans.OfTrace(startCall.TraceId);
        var second = fixture.Spans.OfTrace(resumeCall.TraceId);
        var started = Assert.Single(first, IsRunOf(flowId));
        Assert.Equal("start", started.GetTagItem("taskflow.run.segment"));
        Assert.Equal("SUSPENDED", started.GetTagItem("taskflow.flow.state"));
        Assert.True(IsAncestor(startCall, started, first.ToDictionary(s => s.SpanId)));
        Assert.Contains(first, s => s.DisplayName == "taskflow.execute gate" && IsAncestor(started, s, first.ToDictionary(x => x.SpanId)));

        var resumed = Assert.Single(second, IsRunOf(flowId));
        Assert.Equal("resume", resumed.GetTagItem("taskflow.run.segment"));
        Assert.Equal("SUCCESS", resumed.GetTagItem("taskflow.flow.state"));
        Assert.True(IsAncestor(resumeCall, resumed, second.ToDictionary(s => s.SpanId)));
        Assert.Contains(second, s => s.DisplayName == "taskflow.execute login" && IsAncestor(resumed, s, second.ToDictionary(x => x.SpanId)));
    }

    [Fact]
    public async Task RunDeactivatedMidRun_SegmentEndsDeactivatedAndTheNextActivationStartsAResumeSegment()
    {
        var flowId = $"reactivated-{Guid.NewGuid():N}";
        var flow = Flow.Linear("reactivated-flow")
            .Add(TracingClusterFixture.GateTask, "gate", provides: "gated")
            .Add(TracingClusterFixture.LoginTask, "login", provides: "token")
            .Build();
        var handle = await fixture.Client.StartAsync(flow, new FlowInputs { ["password"] = Password }, new StartFlowOptions { FlowId = flowId });
        await TaskGates.WaitEnteredAsync(flowId, "gate").WaitAsync(Timeout);

        // Deactivate the run's engine (as a silo shutting down would); its segment ends 'deactivated'.
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + Timeout;
        while (fixture.Spans.Where(s => IsRunOf(flowId)(s) && "deactivated".Equals(s.GetTagItem("taskflow.run.end"))).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The run's engine was not deactivated.");
            await management.ForceActivationCollection(TimeSpan.Zero).WaitAsync(Timeout);
        }

        // Any call activates it again: the run resumes from its logbook in a new segment.
        await handle.GetSnapshotAsync().WaitAsync(Timeout);
        TaskGates.Open(flowId, "gate");
        Assert.Equal(FlowState.Success, (await handle.GetResultAsync().WaitAsync(Timeout)).State);

        var segments = fixture.Spans.Where(s => IsRunOf(flowId)(s)).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, segments.Count);
        Assert.Equal(("start", "deactivated", "RUNNING"), Describe3(segments[0]));
        Assert.Equal(("resume", "outcome", "SUCCESS"), Describe3(segments[1]));
        var resumedTrace = fixture.Spans.OfTrace(segments[1].TraceId);
        var login = Assert.Single(resumedTrace, s => s.DisplayName == "taskflow.execute login");
        Assert.True(IsAncestor(segments[1], login, resumedTrace.ToDictionary(s => s.SpanId)));

        static (object?, object?, object?) Describe3(Activity run) =>
            (run.GetTagItem("taskflow.run.segment"), run.GetTagItem("taskflow.run.end"), run.GetTagItem("taskflow.flow.state"));
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Predicate<Activity> IsRunOf(string flowId) => span =>
        span.Source.Name == TaskFlowTracing.ActivitySourceName && span.OperationName.StartsWith(TaskFlowTracing.RunSpanPrefix, StringComparison.Ordinal)
        && flowId.Equals(span.GetTagItem("taskflow.flow.id"));

    [Fact]
    public void AddTaskFlowInstrumentation_NamesTheEngineSourceAndMeter()
    {
        Assert.Equal(TaskFlowTracing.ActivitySourceName, TaskFlow.Orleans.OpenTelemetry.TaskFlowInstrumentationExtensions.SourceName);
        Assert.Equal(TaskFlowMetrics.MeterName, TaskFlow.Orleans.OpenTelemetry.TaskFlowInstrumentationExtensions.SourceName);
    }

    private static bool IsAncestor(Activity ancestor, Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var current = span;
        while (current.ParentSpanId != default)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            if (!byId.TryGetValue(current.ParentSpanId, out var parent))
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    private static string Describe(Activity span) =>
        string.Join("|", new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))));
}
