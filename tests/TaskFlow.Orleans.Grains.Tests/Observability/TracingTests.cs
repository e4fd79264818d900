using System.Diagnostics;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Diagnostics;

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
