using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Dashboard.Pages;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>Throughput on the overview, from counts by state sampled while a page is open.</summary>
public sealed class OverviewSamplerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Intervals_CountRunsFinishedBetweenKeptSamples_FailedAndRevertedTogether()
    {
        var sampler = new OverviewSampler(_time);
        sampler.Offer(Counts(success: 10, failure: 1, reverted: 1));
        _time.Advance(TimeSpan.FromSeconds(2));
        sampler.Offer(Counts(success: 99, failure: 9, reverted: 9)); // within the spacing: not kept
        _time.Advance(TimeSpan.FromSeconds(28));
        sampler.Offer(Counts(success: 40, failure: 3, reverted: 4));

        var interval = Assert.Single(sampler.Intervals());
        Assert.Equal(30, interval.Succeeded);
        Assert.Equal(5, interval.Failed);
        Assert.Equal(70, interval.PerMinute, precision: 6); // 35 runs in half a minute
    }

    [Fact]
    public void Intervals_NeverGoBelowZero_WhenRunsArePurged_AndForgetSamplesOlderThanTheWindow()
    {
        var sampler = new OverviewSampler(_time);
        sampler.Offer(Counts(success: 50, failure: 0, reverted: 0));
        _time.Advance(TimeSpan.FromMinutes(1));
        sampler.Offer(Counts(success: 20, failure: 0, reverted: 0)); // 30 purged
        Assert.Equal(0, Assert.Single(sampler.Intervals()).Succeeded);

        _time.Advance(OverviewSampler.Window + TimeSpan.FromMinutes(1));
        sampler.Offer(Counts(success: 25, failure: 0, reverted: 0));
        Assert.Empty(sampler.Intervals()); // the earlier samples fell out of the window
    }

    private static Dictionary<FlowState, long> Counts(long success, long failure, long reverted) => new()
    {
        [FlowState.Success] = success,
        [FlowState.Failure] = failure,
        [FlowState.Reverted] = reverted,
        [FlowState.Running] = 3,
    };
}
