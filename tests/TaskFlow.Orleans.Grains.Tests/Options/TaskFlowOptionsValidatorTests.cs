using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Tests.Options;

public sealed class TaskFlowOptionsValidatorTests
{
    private readonly TaskFlowOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new TaskFlowOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryValueWrong_ReportsEachWithItsFix()
    {
        var options = new TaskFlowOptions
        {
            ExecutorPoolSize = 0,
            MaxRunsPerTransaction = 0,
            ProgressWriteDelay = TimeSpan.Zero,
            EventBufferSize = 0,
            StorageProviderName = " ",
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.Contains("ExecutorPoolSize is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxRunsPerTransaction is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ProgressWriteDelay is 00:00:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("EventBufferSize is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("AddMemoryGrainStorage", StringComparison.Ordinal));
    }
}
