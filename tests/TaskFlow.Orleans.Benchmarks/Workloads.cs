using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Benchmarks;

/// <summary>The benchmark flows, the same scenarios as the TaskFlow measurements in reference/TASKFLOW.md §15.</summary>
public static class Workloads
{
    /// <summary>W1: a linear chain of <paramref name="count"/> tasks, each adding 1 to the value the previous one provided.</summary>
    public static FlowDefinition LinearChain(int count)
    {
        var flow = Flow.Linear($"w1-linear-{count}");
        flow.Add("bench.add-one", "step-0", provides: "value", rebind: ("value", "start"));
        for (var i = 1; i < count; i++)
        {
            // Nearest provider wins: each step reads the value of the step right before it.
            flow.Add("bench.add-one", $"step-{i}", provides: "value");
        }

        return flow.Build();
    }

    /// <summary>W2: <paramref name="count"/> independent tasks, then a join that runs after all of them.</summary>
    public static FlowDefinition FanOutJoin(int count)
    {
        var fan = Flow.Unordered("fan-out");
        for (var i = 0; i < count; i++)
        {
            fan.Add("bench.one", $"one-{i}", provides: $"o{i}");
        }

        return Flow.Linear($"w2-fan-out-{count}").Add(fan).Add("bench.join", "join").Build();
    }

    /// <summary>W3: a chain of <paramref name="count"/> tasks whose last one throws, so all of them revert in reverse order.</summary>
    public static FlowDefinition FailingChain(int count)
    {
        var flow = Flow.Linear($"w3-revert-{count}");
        flow.Add("bench.add-one", "step-0", provides: "value", rebind: ("value", "start"));
        for (var i = 1; i < count - 1; i++)
        {
            flow.Add("bench.add-one", $"step-{i}", provides: "value");
        }

        flow.Add("bench.fail", $"step-{count - 1}");
        return flow.Build();
    }
}
