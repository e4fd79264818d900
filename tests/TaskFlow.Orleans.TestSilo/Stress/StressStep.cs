using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.TestSilo.Stress;

/// <summary>One step of the stress chain: adds one to the value it is given, optionally after a delay.</summary>
[TaskName("stress.step")]
public sealed class StressStep : FlowTask
{
    /// <summary>Returns <paramref name="value"/> + 1 after <paramref name="delayMs"/> milliseconds.</summary>
    public async Task<long> ExecuteAsync(long value, long delayMs = 0, CancellationToken cancellationToken = default)
    {
        ExecutionJournal.Record("execute", Context.ExecutionId);
        if (delayMs > 0)
        {
            // Real time is the point: a slow step keeps runs in flight in separate silo processes, where a kill -9 must find
            // them (no fake clock reaches another process).
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), cancellationToken);
        }

        return value + 1;
    }
}
