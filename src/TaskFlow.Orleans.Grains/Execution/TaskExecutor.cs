using TaskFlow.Orleans.Grains;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using global::Orleans.Serialization.Serializers;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Execution;
// Orleans.Runtime (an implicit global using of the Orleans SDK) has a TaskRequest too.
using TaskRequest = TaskFlow.Orleans.Execution.TaskRequest;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>
/// Runs a registered task's Execute or Revert for a request and returns the outcome as data. This is the whole
/// of TaskFlow's executor role; <see cref="TaskExecutorGrain"/> is its Orleans shell, and tests or an in-process
/// executor can use it directly.
/// </summary>
/// <remarks>
/// <para>Tasks are found only by their registered name in the <see cref="TaskCatalog"/>. Every exception a task
/// (or argument binding) throws, including <see cref="OperationCanceledException"/>, becomes a
/// <see cref="Failure"/> in the result: nothing a task does escapes as an exception.</para>
/// <para>A task class gets a fresh DI scope per call, so scoped services (a DbContext, say) belong to one call.</para>
/// </remarks>
internal sealed partial class TaskExecutor
{
    private readonly TaskCatalog _catalog;
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly ICodecProvider? _codecs;
    private readonly global::Orleans.Serialization.Serializer? _serializer;
    private readonly long _maxValueBytes;
    private readonly ILogger _logger;
    private readonly Security.ValueMask _mask;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly CancellationToken _stopping;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ExecutionResult>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Creates an executor over a catalog.</summary>
    /// <param name="catalog">The registered tasks.</param>
    /// <param name="services">Services for task class constructors; also the source of the Orleans codec provider,
    /// used to report a result Orleans cannot serialize as a failure.</param>
    /// <param name="logger">Where task failures are logged at debug level.</param>
    public TaskExecutor(TaskCatalog catalog, IServiceProvider services, ILogger<TaskExecutor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(services);
        _catalog = catalog;
        _services = services;
        _scopeFactory = services.GetRequiredService<IServiceScopeFactory>();
        _codecs = services.GetService<ICodecProvider>();
        _serializer = services.GetService<global::Orleans.Serialization.Serializer>();
        _maxValueBytes = services.GetService<Microsoft.Extensions.Options.IOptions<Limits.TaskFlowLimits>>()?.Value.MaxValueBytes
                         ?? Limits.TaskFlowLimits.DefaultMaxValueBytes;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _mask = services.GetService<Security.ValueMask>() ?? Security.ValueMask.None;
        _stopping = services.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
    }

    /// <summary>Cancels the token of a running execution (its flow is being cancelled); unknown ids are ignored.</summary>
    /// <param name="executionId">The execution.</param>
    public void Cancel(string executionId)
    {
        if (_running.TryGetValue(executionId, out var source))
        {
            source.Cancel();
        }
    }

    /// <summary>Runs Execute.</summary>
    /// <param name="request">The task name, its context and arguments.</param>
    /// <param name="ranOn">Recorded in the result as where the call ran (the silo's runtime identity).</param>
    /// <param name="cancellationToken">Passed to the task.</param>
    /// <returns>The value, or the failure; never throws for a task's own error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <remarks>A request for an execution id this silo is already running joins that execution and gets its outcome, instead
    /// of running the task a second time at once: while a dead silo is being voted out, Orleans may briefly keep two
    /// activations of one run's engine, and both re-dispatch the atom that was running (same execution id).</remarks>
    public Task<ExecutionResult> ExecuteAsync(TaskRequest request, string? ranOn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mine = new TaskCompletionSource<ExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inFlight.GetOrAdd(request.ExecutionId, mine.Task);
        if (running != mine.Task)
        {
            Log.Joined(_logger, request.ExecutionId, request.AtomName, request.FlowId);
            return running.WaitAsync(cancellationToken);
        }

        return RunAsync();

        async Task<ExecutionResult> RunAsync()
        {
            using var span = StartAtomSpan(isRevert: false, request.FlowId, request.AtomName, request.TaskName, request.ExecutionId);
            try
            {
                mine.SetResult(EndAtomSpan(span, isRevert: false, await ExecuteOnceAsync(request, ranOn, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception exception)
            {
                span?.SetStatus(ActivityStatusCode.Error, exception.GetType().FullName);
                mine.SetException(exception);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task<ExecutionResult>>(request.ExecutionId, mine.Task));
            }

            return await mine.Task.ConfigureAwait(false);
        }
    }

    private async Task<ExecutionResult> ExecuteOnceAsync(TaskRequest request, string? ranOn, CancellationToken cancellationToken)
    {
        if (!_catalog.TryGetTask(request.TaskName, out var task))
        {
            return NotRegistered(request.TaskName, request.FlowId, request.AtomName, ranOn);
        }

        long reports = 0;
        var context = new TaskContext
        {
            FlowId = request.FlowId,
            AtomName = request.AtomName,
            ExecutionId = request.ExecutionId,
            ProgressSink = (progress, details) => ReportProgress(request, Interlocked.Increment(ref reports), progress, details),
        };
        var started = Stopwatch.GetTimestamp();

        // The task's token is cancelled by its flow's cancel, by the silo shutting down, and at the atom's timeout.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        _running[request.ExecutionId] = running;
        using var timeout = request.Timeout is { } limit ? CancellationTokenSource.CreateLinkedTokenSource(running.Token) : null;
        timeout?.CancelAfter(request.Timeout!.Value);
        var token = timeout?.Token ?? running.Token;
        try
        {
            object? value;
            if (task.TaskType is null)
            {
                value = await WithTimeout(TaskInvoker.ExecuteAsync(task, _services, request.Arguments, context, token), request.Timeout).ConfigureAwait(false);
            }
            else
            {
                await using var scope = _scopeFactory.CreateAsyncScope();
                value = await WithTimeout(TaskInvoker.ExecuteAsync(task, scope.ServiceProvider, request.Arguments, context, token), request.Timeout).ConfigureAwait(false);
            }

            if (value is not null && _codecs is not null && _codecs.TryGetCodec(value.GetType()) is null)
            {
                return ExecutionResult.Failed(NotSerializable(task.Name, value.GetType()), ranOn);
            }

            return Measured(value, task.Name, request, ranOn);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Not the task's failure: its silo is going away. The engine dispatches it again elsewhere (at least once).
            throw new ExecutorStoppingException(
                $"Task '{task.Name}' (atom '{request.AtomName}' of flow '{request.FlowId}') was cancelled because its silo {ranOn} is shutting down.");
        }
        catch (Exception exception) when (timeout is not null && !running.IsCancellationRequested
                                          && ((exception is OperationCanceledException && timeout.IsCancellationRequested)
                                              || (exception is TimeoutException && Stopwatch.GetElapsedTime(started) >= request.Timeout!.Value * 0.9)))
        {
            await timeout.CancelAsync().ConfigureAwait(false);
            // The per-task timeout: the task's token was cancelled; a task that ignores it is not waited for.
            return ExecutionResult.Failed(Failure.FromException(new TimeoutException(
                $"Task '{task.Name}' (atom '{request.AtomName}' of flow '{request.FlowId}') did not finish within {request.Timeout}; " +
                "its CancellationToken was cancelled. Raise the atom's timeout, or make the task faster.")), ranOn);
        }
        catch (Exception exception)
        {
            return Failed(exception, task.Name, "execute", request.AtomName, request.FlowId, request.Arguments, ranOn);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(request.ExecutionId, running));
        }
    }

    /// <summary>Sends a progress report to the flow without waiting (a one-way call).</summary>
    private void ReportProgress(TaskRequest request, long sequence, double progress, string? details)
    {
        try
        {
            _ = _services.GetRequiredService<IGrainFactory>().GetGrain<IFlowGrain>(request.FlowId)
                .ReportProgressAsync(request.AtomName, request.ExecutionId, sequence, progress, details);
        }
        catch (Exception exception)
        {
            // Progress is informative: a report that cannot be sent never fails the task.
            Log.TaskFailed(_logger, exception, request.TaskName, "report progress", request.AtomName, request.FlowId);
        }
    }

    /// <summary>Waits for Execute, but no longer than the atom's timeout (a task that ignores its token is abandoned).</summary>
    private static Task<object?> WithTimeout(ValueTask<object?> execution, TimeSpan? timeout) =>
        timeout is { } limit ? execution.AsTask().WaitAsync(limit) : execution.AsTask();

    /// <summary>Runs Revert (a task without one succeeds without doing anything, as in TaskFlow).</summary>
    /// <param name="request">The task name, its context, arguments, the execute outcome and the flow's failures.</param>
    /// <param name="ranOn">Recorded in the result as where the call ran (the silo's runtime identity).</param>
    /// <param name="cancellationToken">Passed to the task.</param>
    /// <returns>Success with no value, or the failure; never throws for a task's own error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<ExecutionResult> RevertAsync(RevertRequest request, string? ranOn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_catalog.TryGetTask(request.TaskName, out var task))
        {
            return NotRegistered(request.TaskName, request.FlowId, request.AtomName, ranOn);
        }

        var context = new TaskContext { FlowId = request.FlowId, AtomName = request.AtomName, ExecutionId = request.ExecutionId };
        using var span = StartAtomSpan(isRevert: true, request.FlowId, request.AtomName, request.TaskName, request.ExecutionId);
        try
        {
            if (task.TaskType is null)
            {
                await TaskInvoker.RevertAsync(task, _services, request.Arguments, request.Result, request.ExecuteFailure,
                    request.FlowFailures, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var scope = _scopeFactory.CreateAsyncScope();
                await TaskInvoker.RevertAsync(task, scope.ServiceProvider, request.Arguments, request.Result, request.ExecuteFailure,
                    request.FlowFailures, context, cancellationToken).ConfigureAwait(false);
            }

            return EndAtomSpan(span, isRevert: true, ExecutionResult.Success(null, ranOn));
        }
        catch (Exception exception)
        {
            return EndAtomSpan(span, isRevert: true, Failed(exception, task.Name, "revert", request.AtomName, request.FlowId, request.Arguments, ranOn));
        }
    }

    private ExecutionResult NotRegistered(string taskName, string flowId, string atomName, string? ranOn)
    {
        Log.TaskNotRegistered(_logger, taskName, atomName, flowId);
        var message = _catalog.DescribeNotRegistered(taskName, ranOn);
        return ExecutionResult.Failed(Failure.FromException(new TaskNotRegisteredException(taskName, message)), ranOn);
    }

    private static Failure NotSerializable(string taskName, Type type) => Failure.Create(
        "TaskFlow.Orleans.ResultNotSerializableException",
        $"Task '{taskName}' returned a {TypeDisplay.Of(type)} ({type.FullName}), which Orleans cannot serialize, so the result cannot be " +
        "stored or sent back. Mark the type [GenerateSerializer] with [Id(n)] on its members (or make it a positional record " +
        "with [GenerateSerializer]), or return a serializable type.");

    /// <summary>A success with the result's serialized size, or a failure naming <see cref="Limits.TaskFlowLimits.MaxValueBytes"/>
    /// when the result is larger: it is then neither sent to the engine nor stored, and the flow reverts as for any failure.</summary>
    private ExecutionResult Measured(object? value, string taskName, TaskRequest request, string? ranOn)
    {
        if (value is null || _serializer is null)
        {
            return ExecutionResult.Success(value, ranOn);
        }

        var size = Limits.PayloadMeter.Measure(_serializer, value, _maxValueBytes);
        if (size <= _maxValueBytes)
        {
            return ExecutionResult.Success(value, ranOn) with { ValueBytes = size };
        }

        var error = Limits.PayloadMeter.ValueTooLarge(
            $"The result of task '{taskName}' (atom '{request.AtomName}' of flow '{request.FlowId}')", size, _maxValueBytes);
        return ExecutionResult.Failed(Failure.Create(typeof(LimitExceededException).FullName!, error.Message + " The result was not stored."), ranOn);
    }

    /// <summary>A task's exception as the failure returned to the engine, logged (at debug level) with the masked values among
    /// its arguments replaced: an exception message that quotes a password must not put it in the log.</summary>
    private ExecutionResult Failed(Exception exception, string taskName, string phase, string atomName, string flowId,
        Dictionary<string, object?> arguments, string? ranOn)
    {
        var failure = Failure.FromException(exception);
        var secrets = _mask.SecretsOf(arguments);
        if (secrets.Count == 0)
        {
            Log.TaskFailed(_logger, exception, taskName, phase, atomName, flowId);
            return ExecutionResult.Failed(failure, ranOn);
        }

        failure = Security.ValueMask.Redact(failure, secrets)!;
        Log.TaskFailedMasked(_logger, taskName, phase, atomName, flowId, string.Join(", ", failure.ExceptionTypeNames.Take(1)), failure.Message);
        return ExecutionResult.Failed(failure, ranOn);
    }
}
