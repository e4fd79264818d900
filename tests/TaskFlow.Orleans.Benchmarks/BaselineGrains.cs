namespace TaskFlow.Orleans.Benchmarks;

/// <summary>The raw Orleans baseline: a grain that calls another grain N times in a chain, passing a value along.</summary>
public interface IChainGrain : IGrainWithIntegerKey
{
    Task<long> RunChainAsync(int steps);
}

public interface IStepGrain : IGrainWithIntegerKey
{
    Task<long> AddOneAsync(long value);
}

public sealed class ChainGrain : Grain, IChainGrain
{
    public async Task<long> RunChainAsync(int steps)
    {
        var step = GrainFactory.GetGrain<IStepGrain>(0);
        long value = 0;
        for (var i = 0; i < steps; i++)
        {
            value = await step.AddOneAsync(value);
        }

        return value;
    }
}

[global::Orleans.Concurrency.Reentrant]
public sealed class StepGrain : Grain, IStepGrain
{
    public Task<long> AddOneAsync(long value) => Task.FromResult(value + 1);
}
