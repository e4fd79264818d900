using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.TestSilo.Stress;

/// <summary>A chain of <see cref="Steps"/> steps passing a value along; every fifth step waits <c>slow-ms</c>.</summary>
/// <remarks>Inputs: <c>start</c> (a number) and <c>slow-ms</c> (milliseconds). The result <c>value</c> is <c>start + 20</c>.</remarks>
public static class StressFlow
{
    /// <summary>The factory name.</summary>
    public const string Name = "stress-chain";

    /// <summary>How many steps the chain has.</summary>
    public const int Steps = 20;

    /// <summary>Builds the chain.</summary>
    public static FlowDefinition Build()
    {
        var flow = Flow.Linear(Name);
        for (var i = 0; i < Steps; i++)
        {
            var slow = i % 5 == 4;
            Rebind rebind = (i, slow) switch
            {
                (0, _) => [("value", "start")],
                (_, true) => [("delayMs", "slow-ms")],
                _ => default,
            };
            flow.Add<StressStep>($"step-{i:D2}", provides: "value", rebind: rebind);
        }

        return flow.Build();
    }
}
