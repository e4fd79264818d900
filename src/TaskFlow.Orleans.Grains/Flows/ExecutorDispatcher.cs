using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Where one call goes: an executor grain (plain, or routed to silos with a capability), seen through one shape.</summary>
internal interface IExecutorRoute
{
    Task<ExecutionResult> ExecuteAsync(TaskRequest request);

    Task<ExecutionResult> RevertAsync(RevertRequest request);

    Task CancelAsync(string executionId);
}

/// <summary>
/// Sends executes and reverts to executors and posts each outcome back, one code path for plain and routed executors.
/// When the executor's silo goes away mid-call the task may or may not have run: it is dispatched again (same execution
/// id) to another executor, a bounded number of times. Keeps the calls in flight so a cancel can reach their tokens.
/// </summary>
internal sealed class ExecutorDispatcher
{
    /// <summary>How many times one call is dispatched before its atom fails.</summary>
    public const int MaxDispatchAttempts = 10;

    private readonly Func<string?, string?, IExecutorRoute> _route;
    private readonly Action<int, bool, ExecutionResult> _post;
    private readonly Action<Exception, int, int> _onRedispatch;
    private readonly TimeProvider _time;
    private readonly Dictionary<int, (IExecutorRoute Route, string ExecutionId)> _inFlight = [];
    private readonly HashSet<int> _cancelled = [];

    /// <param name="route">Picks an executor for a capability (<see langword="null"/>: any silo).</param>
    /// <param name="post">Receives (atom, is revert, outcome) once per call.</param>
    /// <param name="onRedispatch">Told of each re-dispatch (exception, atom, attempt), for logging.</param>
    /// <param name="time">The clock re-dispatches wait on.</param>
    public ExecutorDispatcher(Func<string?, string?, IExecutorRoute> route, Action<int, bool, ExecutionResult> post,
        Action<Exception, int, int> onRedispatch, TimeProvider time)
    {
        _route = route;
        _post = post;
        _onRedispatch = onRedispatch;
        _time = time;
    }

    /// <summary>How many calls are in flight.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Dispatches an execute.</summary>
    public void Execute(int atomId, string? capability, TaskRequest request) =>
        _ = CallAsync(atomId, isRevert: false, capability, request.ExecutionId, route => route.ExecuteAsync(request));

    /// <summary>Dispatches a revert.</summary>
    public void Revert(int atomId, string? capability, RevertRequest request) =>
        _ = CallAsync(atomId, isRevert: true, capability, request.ExecutionId, route => route.RevertAsync(request));

    /// <summary>Cancels the tokens of every task still executing; their outcomes still come back.</summary>
    public void CancelAll()
    {
        foreach (var (atom, (route, executionId)) in _inFlight)
        {
            // Also remembered: a call waiting to be dispatched again after its executor was lost is not sent anywhere.
            _cancelled.Add(atom);
            _ = route.CancelAsync(executionId);
        }
    }

    private async Task CallAsync(int atomId, bool isRevert, string? capability, string executionId, Func<IExecutorRoute, Task<ExecutionResult>> call)
    {
        ExecutionResult result;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // First by the execution id (two engines of one run meet at one executor); after a lost executor, anywhere else.
                var route = _route(capability, attempt == 1 ? executionId : null);
                _inFlight[atomId] = (route, executionId);
                result = await call(route);
                break;
            }
            catch (Exception exception) when ((IsExecutorLost(exception) || IsCancelledByRuntime(exception, atomId)) && attempt < MaxDispatchAttempts)
            {
                _onRedispatch(exception, atomId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << attempt)), _time);
                if (_cancelled.Contains(atomId))
                {
                    result = ExecutionResult.Failed(Failure.Create(typeof(OperationCanceledException).FullName!,
                        $"Execution '{executionId}' was cancelled while its executor was lost; it was not dispatched again."));
                    break;
                }
            }
            catch (Exception exception)
            {
                result = ExecutionResult.Failed(Failure.FromException(exception));
                break;
            }
        }

        _inFlight.Remove(atomId);
        _cancelled.Remove(atomId);
        Diagnostics.TaskFlowMetrics.AtomCalls.Add(1,
            new KeyValuePair<string, object?>("action", isRevert ? "revert" : "execute"),
            new KeyValuePair<string, object?>("outcome", result.IsSuccess ? "success" : "failure"));
        _post(atomId, isRevert, result);
    }

    /// <summary>Whether a call was cancelled by Orleans rather than by the flow. Orleans fails a call it could not address
    /// with the <see cref="OperationCanceledException"/> of a directory lookup cancelled while the cluster recovered from a
    /// dead silo (the 3-silo kill test: "Failed to address message ... IGrainDirectoryPartition.LookupAsync"), and answers
    /// the requests queued at an activation that failed to activate with the exception that stopped it. The executor never
    /// throws one for a task (a task's own cancellation comes back as a failed outcome), so the task did not fail: it is
    /// dispatched again like a call whose executor was lost.</summary>
    private bool IsCancelledByRuntime(Exception exception, int atomId) =>
        exception is OperationCanceledException && !_cancelled.Contains(atomId);

    /// <summary>Whether a call failed because its executor's silo went away (the task may or may not have run).</summary>
    public static bool IsExecutorLost(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or global::Orleans.Runtime.Messaging.ConnectionFailedException
            or ExecutorStoppingException;
}
