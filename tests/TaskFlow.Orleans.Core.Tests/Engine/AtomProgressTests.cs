using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Engine;

public sealed class AtomProgressTests
{
    [Fact]
    [Trait("TaskFlow", "test_progress.TestProgress.test_sanity_progress (edges)")]
    public void OnStateChanged_RunningThenSuccess_PublishesZeroThenOne()
    {
        var progress = new AtomProgress(1);

        Assert.Equal(0, progress.OnStateChanged(0, AtomState.Running));
        Assert.True(progress.TryReport(0, attemptRunning: true, sequence: 1, 0.5, "half"));
        Assert.Equal(1, progress.OnStateChanged(0, AtomState.Success));

        Assert.Equal(1, progress.Of(0));
        Assert.Equal("half", progress.DetailsOf(0));
    }

    [Fact]
    public void TryReport_AfterSuccess_NeverReplacesTheFinalOne()
    {
        var progress = new AtomProgress(1);
        progress.OnStateChanged(0, AtomState.Running);
        progress.OnStateChanged(0, AtomState.Success);

        Assert.False(progress.TryReport(0, attemptRunning: true, sequence: long.MaxValue - 1, 0.9, "late"));
        Assert.Equal(1, progress.Of(0));
    }

    [Fact]
    public void TryReport_OvertakenByANewerReport_IsDropped()
    {
        var progress = new AtomProgress(1);
        progress.OnStateChanged(0, AtomState.Running);

        Assert.True(progress.TryReport(0, true, 2, 0.5, "newer"));
        Assert.False(progress.TryReport(0, true, 1, 0.25, "older"));

        Assert.Equal(0.5, progress.Of(0));
        Assert.Equal("newer", progress.DetailsOf(0));
    }

    [Fact]
    public void TryReport_OfAnAttemptThatIsNotRunning_IsDropped()
    {
        var progress = new AtomProgress(1);
        progress.OnStateChanged(0, AtomState.Running);

        Assert.False(progress.TryReport(0, attemptRunning: false, 1, 0.5, null));
        Assert.Equal(0, progress.Of(0));
    }

    [Theory]
    [InlineData(-0.5, 0)]
    [InlineData(1.5, 1)]
    [InlineData(double.NaN, 0)]
    public void TryReport_OutOfRange_IsClamped(double reported, double kept)
    {
        var progress = new AtomProgress(1);
        progress.OnStateChanged(0, AtomState.Running);

        Assert.True(progress.TryReport(0, true, 1, reported, null));
        Assert.Equal(kept, progress.Of(0));
    }

    [Fact]
    public void OnStateChanged_RunningAgain_ResetsToZeroAndAcceptsTheNewAttemptsReports()
    {
        var progress = new AtomProgress(1);
        progress.OnStateChanged(0, AtomState.Running);
        progress.TryReport(0, true, 5, 0.7, "first attempt");
        progress.OnStateChanged(0, AtomState.Failure);

        Assert.Equal(0, progress.OnStateChanged(0, AtomState.Running));
        Assert.Null(progress.DetailsOf(0));
        Assert.True(progress.TryReport(0, true, 1, 0.1, "second attempt"));
        Assert.Equal(0.1, progress.Of(0));
    }

    [Fact]
    public void Restore_FinishedAtom_KeepsItsValueAgainstLateReports()
    {
        var progress = new AtomProgress(2);
        progress.Restore(0, AtomState.Success, 1, "done");
        progress.Restore(1, AtomState.Running, 0.4, "going");

        Assert.False(progress.TryReport(0, true, 1, 0.3, null));
        Assert.True(progress.TryReport(1, true, 1, 0.6, "further"));
        Assert.Equal(1, progress.Of(0));
        Assert.Equal(0.6, progress.Of(1));
    }
}
