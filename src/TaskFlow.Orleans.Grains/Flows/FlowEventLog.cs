using System.Collections.Immutable;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// A run's recent events for watchers: numbered in order, kept in a bounded ring, read by long poll. Numbering carries on
/// across activations from the number the logbook recorded, so a watcher's position stays valid. The ring starts small and
/// doubles up to its capacity: most runs publish a few dozen events, and every finished run's grain keeps its ring (a full
/// 4,096-slot ring was a third of a small run's memory).
/// </summary>
internal sealed class FlowEventLog
{
    private const int InitialSize = 32;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private FlowEvent[] _events;
    private TaskCompletionSource? _signal;
    private long _floor;

    public FlowEventLog(int capacity, TimeProvider time)
    {
        _capacity = Math.Max(16, capacity);
        _events = new FlowEvent[Math.Min(InitialSize, _capacity)];
        _time = time;
    }

    /// <summary>How many events the ring holds before the oldest are dropped, as it stands (it grows up to the capacity).</summary>
    internal int Size => _events.Length;

    /// <summary>The number of the last event published.</summary>
    public long Sequence { get; private set; }

    /// <summary>Starts numbering after <paramref name="sequence"/> (events up to it were published by an earlier activation and are gone).</summary>
    public void ContinueFrom(long sequence) => Sequence = _floor = sequence;

    /// <summary>Numbers and keeps an event, and wakes waiting readers.</summary>
    /// <returns>The event with its number.</returns>
    public FlowEvent Publish(FlowEvent flowEvent)
    {
        var sequence = ++Sequence;
        if (sequence - _floor > _events.Length && _events.Length < _capacity)
        {
            Grow();
        }

        flowEvent = flowEvent with { Sequence = sequence };
        _events[(sequence - 1) % _events.Length] = flowEvent;
        Wake();
        return flowEvent;
    }

    /// <summary>Doubles the ring (up to the capacity), keeping every event it holds at its place in the larger ring.</summary>
    private void Grow()
    {
        var larger = new FlowEvent[Math.Min(_capacity, _events.Length * 2)];
        var last = Sequence - 1; // the events published before the one being added
        for (var sequence = Math.Max(_floor + 1, last - _events.Length + 1); sequence <= last; sequence++)
        {
            larger[(sequence - 1) % larger.Length] = _events[(sequence - 1) % _events.Length];
        }

        _events = larger;
    }

    /// <summary>Wakes readers without an event (e.g. the run finished).</summary>
    public void Wake()
    {
        if (_signal is { } signal)
        {
            _signal = null;
            signal.TrySetResult();
        }
    }

    /// <summary>The events after <paramref name="afterSequence"/>, waiting up to <paramref name="maxWait"/> for one unless <paramref name="finished"/>.</summary>
    public async Task<(ImmutableArray<FlowEvent> Events, bool Missed)> ReadAsync(long afterSequence, TimeSpan maxWait, bool finished)
    {
        if (Sequence <= afterSequence && !finished && maxWait > TimeSpan.Zero)
        {
            _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var timeout = new CancellationTokenSource();
            var woken = _signal.Task;
            if (await Task.WhenAny(woken, Task.Delay(maxWait, _time, timeout.Token)) == woken)
            {
                await timeout.CancelAsync(); // no timer left running until maxWait for every poll an event wakes
            }
        }

        var oldest = Math.Max(_floor + 1, Sequence - _events.Length + 1);
        var from = Math.Max(afterSequence + 1, oldest);
        var events = ImmutableArray.CreateBuilder<FlowEvent>((int)Math.Max(0, Sequence - from + 1));
        for (var sequence = from; sequence <= Sequence; sequence++)
        {
            events.Add(_events[(sequence - 1) % _events.Length]);
        }

        return (events.MoveToImmutable(), afterSequence + 1 < oldest);
    }
}
