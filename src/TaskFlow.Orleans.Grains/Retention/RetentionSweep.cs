using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Index;

namespace TaskFlow.Orleans.Grains.Retention;

/// <summary>One retention sweep: deletes, batch after batch, the finished runs that finished longer ago than
/// <see cref="TaskFlowRetentionOptions.FinishedRunsKeptFor"/> (by the given clock), pausing between batches, and logs what it
/// deleted.</summary>
internal sealed partial class RetentionSweep(FinishedRunsPurger purger, TaskFlowRetentionOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Runs the sweep to its end (a batch smaller than the batch size).</summary>
    /// <param name="cancellationToken">Stops the sweep between batches.</param>
    /// <returns>How many runs it deleted and the earliest finish time among them.</returns>
    public async Task<PurgeResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var total = new PurgeResult();
        if (!options.Enabled)
        {
            return total;
        }

        var cutoff = time.GetUtcNow() - options.FinishedRunsKeptFor!.Value;
        var filter = new FinishedRunsFilter { FinishedBefore = cutoff };
        var started = time.GetTimestamp();
        var batches = 0;
        try
        {
            while (true)
            {
                var batchStarted = time.GetTimestamp();
                var batch = await purger.PurgeBatchAsync(filter, options.BatchSize, cancellationToken);
                var batchTime = time.GetElapsedTime(batchStarted);
                batches++;
                total = total.Add(new PurgeResult { Count = batch.RunIds.Count, OldestFinishedAt = batch.OldestFinishedAt });
                if (batch.RunIds.Count < options.BatchSize)
                {
                    break;
                }

                // Running flows get the store (and this silo's scheduler) between two batches: retention keeps it busy at most
                // DeletingShare of the time, however long a batch took.
                var pause = Pause(batchTime);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, time, cancellationToken);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSweepFailed(exception, total.Count, cutoff);
            throw;
        }

        if (total.Count > 0)
        {
            LogSwept(total.Count, cutoff, total.OldestFinishedAt, batches, time.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            LogNothingToSweep(cutoff);
        }

        return total;
    }

    /// <summary>The pause after a batch that took <paramref name="batchTime"/>.</summary>
    internal TimeSpan Pause(TimeSpan batchTime)
    {
        var share = Math.Clamp(options.DeletingShare, 0.001, 1);
        var proportional = batchTime * ((1 - share) / share);
        return proportional > options.PauseBetweenBatches ? proportional : options.PauseBetweenBatches;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention deleted {Count} finished run(s) that finished before {Cutoff:O} (the oldest finished {Oldest:O}) in {Batches} batch(es), {Milliseconds:F0} ms")]
    private partial void LogSwept(long count, DateTimeOffset cutoff, DateTimeOffset? oldest, int batches, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention found no run that finished before {Cutoff:O}")]
    private partial void LogNothingToSweep(DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Retention stopped after deleting {Count} finished run(s) that finished before {Cutoff:O}; the next sweep carries on")]
    private partial void LogSweepFailed(Exception exception, long count, DateTimeOffset cutoff);
}
