using Spectre.Console;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Cli;

/// <summary>Follows a run to its end, printing each change, and rides out the loss of the silo that runs it: it re-attaches by
/// the run's id (through another gateway when the client was given several, or the same one once it is back), shows the run as
/// it then stands, and follows it from there.</summary>
/// <remarks>
/// A watch is a series of long polls to the run's grain, each answered within 10 s. A poll sent to a silo that then dies is
/// never answered (Orleans would time it out after its response timeout), so a watch that hears nothing for
/// <see cref="QuietBound"/> asks the run for its status: an answer means the run is just quiet (a long task), no answer means
/// contact is lost. Calls that fail because the cluster is away are retried every second until <c>reattachTimeout</c> has
/// passed since contact was lost; then the follow ends with one line that names the run and how to check on it.
/// </remarks>
/// <param name="client">The cluster's client.</param>
/// <param name="reattachTimeout">How long to keep trying to re-attach after contact is lost.</param>
internal sealed class FlowFollower(ITaskFlowClient client, TimeSpan reattachTimeout)
{
    /// <summary>A little over the 10 s a watch poll waits on the silo.</summary>
    private static readonly TimeSpan QuietBound = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    /// <summary>Prints every change of the run after <paramref name="afterSequence"/> until it finishes.</summary>
    /// <returns>The run as it ended.</returns>
    /// <exception cref="CliException">Contact was lost and not regained within the re-attach timeout.</exception>
    /// <exception cref="FlowNotFoundException">No run has this id (e.g. it was purged meanwhile).</exception>
    public async Task<FlowSnapshot> FollowAsync(string flowId, long afterSequence, CancellationToken cancellationToken)
    {
        var handle = client.GetFlowHandle(flowId);
        var after = afterSequence;
        DateTimeOffset? lostAt = null;
        while (true)
        {
            try
            {
                if (lostAt is not null)
                {
                    // Re-attach: what the run did meanwhile may have gone with the silo that held its events, so show the
                    // run as it stands now, then follow it from there.
                    var snapshot = await BoundedAsync(handle.GetSnapshotAsync, CallBound, cancellationToken);
                    Console.Error.WriteLine($"Re-attached to run '{flowId}'; it is {States.StateNames.Of(snapshot.State)}.");
                    lostAt = null;
                    if (snapshot.EventSequence != after)
                    {
                        FlowPrinter.PrintAtoms(snapshot);
                        after = snapshot.EventSequence;
                    }

                    if (snapshot.IsFinished)
                    {
                        return snapshot;
                    }
                }

                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quiet.CancelAfter(QuietBound);
                await foreach (var flowEvent in handle.WatchAsync(after, quiet.Token))
                {
                    AnsiConsole.MarkupLine(FlowPrinter.Format(flowEvent));
                    after = flowEvent.Sequence;
                    quiet.CancelAfter(QuietBound);
                }

                return await BoundedAsync(handle.GetSnapshotAsync, CallBound, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && lostAt is null)
            {
                // Nothing heard for a while: a long task, or a silo that died with the poll. Ask the run.
                try
                {
                    await BoundedAsync(handle.GetStatusAsync, CallBound, cancellationToken);
                }
                catch (Exception probe) when (IsLostContact(probe, cancellationToken))
                {
                    lostAt = Lost(flowId, probe);
                }
            }
            catch (Exception exception) when (IsLostContact(exception, cancellationToken))
            {
                lostAt ??= Lost(flowId, exception);
                if (DateTimeOffset.UtcNow - lostAt > reattachTimeout)
                {
                    throw new CliException(ExitCodes.ClusterUnavailable,
                        $"Lost contact with run '{flowId}' and could not re-attach within {reattachTimeout.TotalSeconds:0} s " +
                        $"({Describe(exception)}). The run goes on in the cluster: check it with 'taskflow status {flowId}', or follow " +
                        $"it again with 'taskflow watch {flowId}' once a silo answers.", exception);
                }

                await Task.Delay(RetryPause, cancellationToken);
            }
        }
    }

    private DateTimeOffset Lost(string flowId, Exception exception)
    {
        // One plain line (not wrapped at the console's width): scripts and tests read it.
        Console.Error.WriteLine($"Lost contact with run '{flowId}' ({Describe(exception)}); re-attaching (up to {reattachTimeout.TotalSeconds:0} s)...");
        return DateTimeOffset.UtcNow;
    }

    private static bool IsLostContact(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && (exception is OperationCanceledException || ErrorReport.IsClusterTrouble(exception));

    private static string Describe(Exception exception) => exception is OperationCanceledException
        ? "no answer"
        : $"{exception.GetType().Name}: {exception.Message.Split('\n', 2)[0].TrimEnd()}";

    /// <summary>A call that gives up after <paramref name="bound"/> (as <see cref="OperationCanceledException"/>).</summary>
    private static async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan bound, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(bound);
        return await call(bounded.Token).WaitAsync(bounded.Token);
    }
}
