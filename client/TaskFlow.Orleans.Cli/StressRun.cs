using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary>
/// <c>taskflow stress</c>: starts many runs of one flow factory, waits for all of them, and prints one machine-readable
/// summary line. It rides out silos that die meanwhile: calls that fail because a silo or the database is away are
/// retried until the deadline, so the summary tells what the cluster did, not what one connection saw.
/// </summary>
/// <remarks>
/// Output (stdout): <c>started N</c> once every run is started, then <c>summary {json}</c> with
/// <c>{"count","succeeded","flows":[{"id","state","results","error"}]}</c>. Progress and retried errors go to stderr.
/// </remarks>
internal static class StressRun
{
    private const int StartParallelism = 16;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    public static string FlowId(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{index:D4}");

    public static async Task StartAllAsync(
        ITaskFlowClient client, string factory, FlowInputs inputs, string? indexInput, string prefix, int count, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = StartParallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var flowInputs = new FlowInputs();
                foreach (var (name, value) in inputs)
                {
                    flowInputs[name] = value;
                }

                if (indexInput is not null)
                {
                    flowInputs[indexInput] = (long)index;
                }

                var flowId = FlowId(prefix, index);
                await RetryAsync(flowId, "start", deadline, async () =>
                {
                    try
                    {
                        await client.StartAsync(factory, flowInputs, new StartFlowOptions { FlowId = flowId }, token);
                    }
                    catch (FlowAlreadyExistsException)
                    {
                        // An earlier attempt got through but its answer was lost: the run exists, which is what we want.
                    }

                    return string.Empty;
                }, token);
            });
    }

    public static async Task<StressSummary> WaitAllAsync(ITaskFlowClient client, string prefix, int count, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<int, StressFlowOutcome>();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async index =>
        {
            var flowId = FlowId(prefix, index);
            var outcome = await RetryAsync(flowId, "wait", deadline, async () =>
            {
                try
                {
                    // A long poll sent to a silo that then dies is never answered (Orleans times it out after a minute):
                    // give each attempt a bound a little above the poll's 10 s wait and ask again.
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attempt.CancelAfter(AttemptTimeout);
                    var result = await client.GetFlowHandle(flowId).GetResultAsync(attempt.Token);
                    return new StressFlowOutcome(flowId, result.State.ToString(), result.Results.ToDictionary(r => r.Key, r => r.Value), null);
                }
                catch (FlowFailedException failed)
                {
                    return new StressFlowOutcome(flowId, failed.State.ToString(), null, failed.Message);
                }
                catch (FlowNotFoundException notFound)
                {
                    return new StressFlowOutcome(flowId, "NOT_FOUND", null, notFound.Message);
                }
            }, cancellationToken);
            outcomes[index] = outcome ?? new StressFlowOutcome(flowId, "UNKNOWN", null, $"No outcome before the deadline {deadline:O}.");
        }));

        var flows = Enumerable.Range(0, count).Select(i => outcomes[i]).ToList();
        return new StressSummary(count, flows.Count(f => f.State == nameof(FlowState.Success)), flows);
    }

    public static string Format(StressSummary summary) =>
        "summary " + JsonSerializer.Serialize(summary, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    /// <summary>Runs <paramref name="action"/> until it returns, retrying failures of the cluster (not of the flow) until the deadline.</summary>
    private static async Task<T?> RetryAsync<T>(string flowId, string what, DateTimeOffset deadline, Func<Task<T>> action, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    await Console.Error.WriteLineAsync($"{flowId}: {what} gave up at the deadline: {exception.GetType().Name}: {exception.Message}");
                    return null;
                }

                await Console.Error.WriteLineAsync($"{flowId}: {what} attempt {attempt} failed, retrying: {exception.GetType().Name}: {FirstLine(exception.Message)}");
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), cancellationToken);
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}

/// <summary>What became of one run.</summary>
internal sealed record StressFlowOutcome(string Id, string State, Dictionary<string, object?>? Results, string? Error);

/// <summary>What became of every run.</summary>
internal sealed record StressSummary(int Count, int Succeeded, List<StressFlowOutcome> Flows);
