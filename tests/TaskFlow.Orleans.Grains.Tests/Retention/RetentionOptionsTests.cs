using Microsoft.Extensions.Logging.Abstractions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Grains.Retention;

namespace TaskFlow.Orleans.Grains.Tests.Retention;

/// <summary>The retention settings: bad values are refused naming the setting and the fix; the pause between batches keeps
/// retention's share of the store's time.</summary>
public sealed class RetentionOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValidAndRetentionIsOnFor30Days()
    {
        var options = new TaskFlowRetentionOptions();

        Assert.True(new TaskFlowRetentionOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromDays(30), options.FinishedRunsKeptFor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void Enabled_NullOrZeroRetention_KeepsRunsForEver(int? days)
    {
        var options = new TaskFlowRetentionOptions { FinishedRunsKeptFor = days is { } d ? TimeSpan.FromDays(d) : null };

        Assert.False(options.Enabled);
        Assert.True(new TaskFlowRetentionOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadValues_NameEachSettingAndTheFix()
    {
        var options = new TaskFlowRetentionOptions
        {
            FinishedRunsKeptFor = TimeSpan.FromDays(-1),
            Interval = TimeSpan.FromSeconds(10),
            BatchSize = 0,
            PauseBetweenBatches = TimeSpan.FromSeconds(-1),
            DeletingShare = 0,
        };

        var result = new TaskFlowRetentionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Retention:FinishedRunsKeptFor is -1.00:00:00; it must be positive", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Retention:Interval is 00:00:10; it must be at least 00:01:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Retention:BatchSize is 0; it must be from 1 to 10000", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Retention:PauseBetweenBatches is -00:00:01; it must not be negative", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TaskFlow:Retention:DeletingShare is 0; it must be more than 0 and at most 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(50, 0.1, 100, 450)]  // a tenth of the time deleting: 9 × the batch
    [InlineData(5, 0.1, 100, 100)]   // never less than PauseBetweenBatches
    [InlineData(200, 0.5, 0, 200)]
    [InlineData(200, 1.0, 0, 0)]
    public void Pause_AfterABatch_KeepsRetentionsShareOfTheTime(int batchMs, double share, int minimumMs, int expectedMs)
    {
        var options = new TaskFlowRetentionOptions { DeletingShare = share, PauseBetweenBatches = TimeSpan.FromMilliseconds(minimumMs) };
        var sweep = new RetentionSweep(new FinishedRunsPurger(new MemoryLogbookStore(), _ => Task.CompletedTask), options, TimeProvider.System, NullLogger.Instance);

        Assert.Equal(expectedMs, sweep.Pause(TimeSpan.FromMilliseconds(batchMs)).TotalMilliseconds, precision: 3);
    }
}
