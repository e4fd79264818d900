using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Limits;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

public sealed class TaskFlowLimitsValidatorTests
{
    private static readonly TaskFlowLimitsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(Validator.Validate(null, new TaskFlowLimits()).Succeeded);

    [Fact]
    public void Validate_DefaultsAllowIssue11sHundredThousandTaskFlows() =>
        Assert.True(new TaskFlowLimits().MaxAtomsPerFlow >= 100_000);

    [Theory]
    [InlineData(0, "MaxFlowIdLength is 0")]
    [InlineData(501, "MaxFlowIdLength is 501; it must be from 1 to 500")]
    public void Validate_FlowIdLengthOutOfRange_FailsNamingTheSetting(int length, string message)
    {
        var result = Validator.Validate(null, new TaskFlowLimits { MaxFlowIdLength = length });

        Assert.StartsWith("TaskFlow:Limits:" + message, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_InconsistentSizes_ReportsEveryProblem()
    {
        var result = Validator.Validate(null, new TaskFlowLimits
        {
            MaxValueBytes = 100,
            MaxRunPayloadBytes = 50,
            MaxMessageBytes = 10,
            MaxAtomsPerFlow = 0,
        });

        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Limits:MaxValueBytes is 100", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Limits:MaxRunPayloadBytes is 50", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Limits:MaxMessageBytes is 10", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Limits:MaxAtomsPerFlow is 0", StringComparison.Ordinal));
    }
}
