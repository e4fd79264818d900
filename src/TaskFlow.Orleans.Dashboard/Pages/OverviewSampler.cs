using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>
/// Throughput and failure rate over the last minutes, from the run index's counts by state sampled while someone looks at the
/// dashboard (each overview and each live tick offers a sample; at most one is kept per <see cref="Spacing"/>). Nothing is
/// sampled while no page is open, so an idle dashboard costs the cluster nothing.
/// </summary>
internal sealed class OverviewSampler(TimeProvider time)
{
    /// <summary>The shortest time between two kept samples.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(5);

    /// <summary>How far back samples are kept.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Queue<Sample> _samples = new();
    private readonly Lock _lock = new();

    /// <summary>Offers the counts just read; kept when the last kept sample is older than <see cref="Spacing"/>.</summary>
    public void Offer(IReadOnlyDictionary<FlowState, long> counts)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_samples.Count > 0 && now - _samples.Last().At < Spacing)
            {
                return;
            }

            _samples.Enqueue(new Sample(now, Count(counts, FlowState.Success), Count(counts, FlowState.Failure) + Count(counts, FlowState.Reverted)));
            while (_samples.Count > 0 && now - _samples.Peek().At > Window)
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>Runs finished per minute in each interval between kept samples, oldest first.</summary>
    public IReadOnlyList<Interval> Intervals()
    {
        lock (_lock)
        {
            var samples = _samples.ToArray();
            var intervals = new List<Interval>(samples.Length);
            for (var i = 1; i < samples.Length; i++)
            {
                var (from, to) = (samples[i - 1], samples[i]);
                // A purge lowers the counts: an interval never goes below zero.
                intervals.Add(new Interval(from.At, to.At, Math.Max(0, to.Succeeded - from.Succeeded), Math.Max(0, to.Failed - from.Failed)));
            }

            return intervals;
        }
    }

    private static long Count(IReadOnlyDictionary<FlowState, long> counts, FlowState state) => counts.TryGetValue(state, out var n) ? n : 0;

    private readonly record struct Sample(DateTimeOffset At, long Succeeded, long Failed);
}

/// <summary>Runs that finished between two samples.</summary>
/// <param name="From">The earlier sample.</param>
/// <param name="To">The later sample.</param>
/// <param name="Succeeded">Runs that ended SUCCESS.</param>
/// <param name="Failed">Runs that ended FAILURE or REVERTED.</param>
internal readonly record struct Interval(DateTimeOffset From, DateTimeOffset To, long Succeeded, long Failed)
{
    /// <summary>Finished runs per minute.</summary>
    public double PerMinute => (Succeeded + Failed) / Math.Max((To - From).TotalMinutes, 1e-9);
}
