using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Tests.Support;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Engine;

/// <summary>Deciders see the run and the link (<see cref="DeciderContext"/>), so a per-run decider can be written.</summary>
public sealed class DeciderContextTests
{
    [Fact]
    public void Decide_SeesTheRunTheLinkAndTheSourceResults()
    {
        var seen = new List<DeciderContext>();
        var tasks = FakeTaskCatalog.WithNoop()
            .Task("seven", provides: ["x"], execute: _ => 7)
            .DeciderWithContext("record", context =>
            {
                seen.Add(context);
                return true;
            });
        var driver = tasks.Drive(Flow.Graph("main")
            .Add("seven", name: "source")
            .Add(Flow.Linear("inner").Add("noop", name: "first").Add("noop", name: "second"))
            .Link("source", "inner", decider: "record", depth: DeciderDepth.Flow));
        driver.Engine.FlowId = "run-42";

        driver.Start();
        driver.RunToEnd();

        Assert.Equal(FlowState.Success, driver.Engine.State);
        var context = Assert.Single(seen);
        Assert.Equal("run-42", context.FlowId);
        Assert.Equal("main", context.FlowName);
        Assert.Equal("record", context.DeciderName);
        Assert.Equal("source", context.From);
        Assert.Equal("first", context.To);
        Assert.Equal(DeciderDepth.Flow, context.Depth);
        Assert.Equal(7, Assert.Single(context.History).Value);
    }

    [Theory]
    [InlineData("dry-run-1", AtomState.Ignore)]
    [InlineData("real-run-1", AtomState.Success)]
    public void Decide_PerRunDecider_IgnoresTheTargetOnlyForTheRunsItSaysNoTo(string flowId, AtomState expected)
    {
        var tasks = FakeTaskCatalog.WithNoop()
            .DeciderWithContext("not-on-dry-runs", context => !context.FlowId.StartsWith("dry-", StringComparison.Ordinal));
        var driver = tasks.Drive(Flow.Graph("deploy")
            .Add("noop", name: "build")
            .Add("noop", name: "publish")
            .Link("build", "publish", decider: "not-on-dry-runs"));
        driver.Engine.FlowId = flowId;

        driver.Start();
        driver.RunToEnd();

        Assert.Equal(FlowState.Success, driver.Engine.State);
        Assert.Equal(AtomState.Success, driver.State("build"));
        Assert.Equal(expected, driver.State("publish"));
    }

    [Fact]
    public void Decide_LinkFromASubflow_NamesTheSubflowAsItsSource()
    {
        var seen = new List<DeciderContext>();
        var tasks = FakeTaskCatalog.WithNoop().DeciderWithContext("record", context =>
        {
            seen.Add(context);
            return true;
        });
        var driver = tasks.Drive(Flow.Graph("main")
            .Add(Flow.Linear("build").Add("noop", name: "compile"))
            .Add("noop", name: "publish")
            .Link("build", "publish", decider: "record"));

        driver.Start();
        driver.RunToEnd();

        var context = Assert.Single(seen);
        Assert.Equal(("build", "publish"), (context.From, context.To));
        Assert.Empty(context.History); // a link from a subflow contributes no result, as in TaskFlow
    }
}
