using Microsoft.Extensions.Time.Testing;
using TaskFlow.Orleans.Grains.Flows;
using TaskFlow.Orleans.Grains.Tests.Logbook;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Flows;

public sealed class FlowEventLogTests
{
    private readonly FakeTimeProvider _time = new(LogbookTestKit.Epoch);

    private static FlowEvent Event(string name) => new() { Sequence = 0, Timestamp = LogbookTestKit.Epoch, Name = name, AtomState = AtomState.Running };

    private FlowEventLog Log(int capacity = 16) => new(capacity, _time);

    private static void PublishMany(FlowEventLog log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            log.Publish(Event($"e{log.Sequence + 1}"));
        }
    }

    [Fact]
    public void Publish_Events_NumberedFromOneInOrder()
    {
        var log = Log();

        var first = log.Publish(Event("a"));
        var second = log.Publish(Event("b"));

        Assert.Equal((1L, "a"), (first.Sequence, first.Name));
        Assert.Equal((2L, "b"), (second.Sequence, second.Name));
        Assert.Equal(2, log.Sequence);
    }

    [Fact]
    public async Task Publish_PastTheRingsSize_GrowsUpToTheCapacityKeepingEveryEventThenDropsTheOldest()
    {
        var log = Log(capacity: 100);
        Assert.Equal(32, log.Size); // a small run never holds a full ring

        PublishMany(log, 70);
        var (grown, missedWhileGrowing) = await log.ReadAsync(0, TimeSpan.Zero, finished: false);

        Assert.Equal(100, log.Size); // 32, 64, then the capacity
        Assert.Equal(Enumerable.Range(1, 70).Select(i => (long)i), grown.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 70).Select(i => $"e{i}"), grown.Select(e => e.Name));
        Assert.False(missedWhileGrowing);

        PublishMany(log, 60);
        var (kept, missed) = await log.ReadAsync(0, TimeSpan.Zero, finished: false);

        Assert.Equal(100, log.Size);
        Assert.Equal(Enumerable.Range(31, 100).Select(i => $"e{i}"), kept.Select(e => e.Name));
        Assert.True(missed);
    }

    [Fact]
    public async Task ReadAsync_AfterAPosition_ReturnsOnlyLaterEventsInOrder()
    {
        var log = Log();
        PublishMany(log, 5);

        var (events, missed) = await log.ReadAsync(2, TimeSpan.Zero, finished: false);

        Assert.Equal([3L, 4L, 5L], events.Select(e => e.Sequence));
        Assert.Equal(["e3", "e4", "e5"], events.Select(e => e.Name));
        Assert.False(missed);
    }

    [Fact]
    public async Task ContinueFrom_RecordedSequence_NumbersOnAndEarlierEventsReadAsMissed()
    {
        var log = Log();
        log.ContinueFrom(40);

        var published = log.Publish(Event("next"));
        var fromRecorded = await log.ReadAsync(40, TimeSpan.Zero, finished: false);
        var fromStart = await log.ReadAsync(0, TimeSpan.Zero, finished: false);

        Assert.Equal(41, published.Sequence);
        Assert.Equal([41L], fromRecorded.Events.Select(e => e.Sequence));
        Assert.False(fromRecorded.Missed);
        Assert.Equal([41L], fromStart.Events.Select(e => e.Sequence));
        Assert.True(fromStart.Missed); // 1..40 were published by an earlier activation and are gone
    }

    [Fact]
    public async Task ReadAsync_RingOverflowed_KeepsTheNewestAndReportsMissed()
    {
        var log = Log(capacity: 16);
        PublishMany(log, 20);

        var fromStart = await log.ReadAsync(0, TimeSpan.Zero, finished: false);
        var fromOldestKept = await log.ReadAsync(4, TimeSpan.Zero, finished: false);
        var oneTooOld = await log.ReadAsync(3, TimeSpan.Zero, finished: false);

        Assert.Equal(Enumerable.Range(5, 16).Select(i => (long)i), fromStart.Events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(5, 16).Select(i => $"e{i}"), fromStart.Events.Select(e => e.Name));
        Assert.True(fromStart.Missed);
        Assert.Equal(16, fromOldestKept.Events.Length);
        Assert.False(fromOldestKept.Missed);
        Assert.True(oneTooOld.Missed);
    }

    [Fact]
    public async Task ReadAsync_CapacityBelowSixteen_KeepsSixteen()
    {
        var log = Log(capacity: 2);
        PublishMany(log, 16);

        var (events, missed) = await log.ReadAsync(0, TimeSpan.Zero, finished: false);

        Assert.Equal(16, events.Length);
        Assert.False(missed);
    }

    [Fact]
    public async Task ReadAsync_NothingNew_LongPollWokenByPublish()
    {
        var log = Log();
        PublishMany(log, 2);

        var read = log.ReadAsync(2, TimeSpan.FromSeconds(30), finished: false);
        Assert.False(read.IsCompleted);
        log.Publish(Event("wake"));

        var (events, missed) = await read.Within();
        Assert.Equal([(3L, "wake")], events.Select(e => (e.Sequence, e.Name)));
        Assert.False(missed);
    }

    [Fact]
    public async Task ReadAsync_TwoReadersWaiting_OnePublishWakesBoth()
    {
        var log = Log();

        var first = log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: false);
        var second = log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: false);
        log.Publish(Event("a"));

        Assert.Single((await first.Within()).Events);
        Assert.Single((await second.Within()).Events);
    }

    [Fact]
    public async Task ReadAsync_NothingPublished_TimesOutOnTheTimeProvider()
    {
        var log = Log();
        PublishMany(log, 1);

        var read = log.ReadAsync(1, TimeSpan.FromSeconds(30), finished: false);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        var (events, missed) = await read.Within();
        Assert.Empty(events);
        Assert.False(missed);
    }

    [Fact]
    public async Task ReadAsync_AfterATimeout_NextReaderStillWokenByPublish()
    {
        var log = Log();
        var timedOut = log.ReadAsync(0, TimeSpan.FromSeconds(1), finished: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await timedOut.Within()).Events);

        var read = log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: false);
        log.Publish(Event("a"));

        Assert.Single((await read.Within()).Events);
    }

    [Fact]
    public async Task Wake_ReaderWaitingAndNoEvent_ReturnsEmpty()
    {
        var log = Log();

        var read = log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: false);
        log.Wake();

        var (events, missed) = await read.Within();
        Assert.Empty(events);
        Assert.False(missed);
    }

    [Fact]
    public void ReadAsync_FinishedOrNoWait_ReturnsAtOnce()
    {
        var log = Log();

        Assert.True(log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: true).IsCompletedSuccessfully);
        Assert.True(log.ReadAsync(0, TimeSpan.Zero, finished: false).IsCompletedSuccessfully);
        PublishMany(log, 1);
        Assert.True(log.ReadAsync(0, TimeSpan.FromSeconds(30), finished: false).IsCompletedSuccessfully);
    }
}
