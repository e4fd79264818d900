using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>Calls a registered task's Execute or Revert with named arguments.</summary>
/// <remarks>
/// <para>A task class is instantiated for every call through constructor injection from the given services,
/// its <see cref="FlowTask.Context"/> is set, and it is disposed afterwards if it is disposable.
/// Delegate tasks are called directly.</para>
/// <para>Arguments are matched to parameters by name. A missing optional argument takes the parameter's default;
/// a value of another primitive type is converted leniently (<c>long</c> or <c>"5"</c> to <c>int</c>), as values
/// from JSON and command lines often are.</para>
/// <para>The task's own exceptions, and binding errors (<see cref="ArgumentException"/>), surface from the returned
/// task; the executor turns them into a <see cref="Failure"/>. Everything reflection can tell is precomputed at
/// registration, so a call costs well under a microsecond of overhead.</para>
/// </remarks>
internal static class TaskInvoker
{
    private static readonly IReadOnlyDictionary<string, Failure> NoFailures = new Dictionary<string, Failure>();

    /// <summary>Runs the task's Execute.</summary>
    /// <param name="task">The registered task.</param>
    /// <param name="services">Services for the task class constructor (use a scope per call for scoped services).</param>
    /// <param name="arguments">Argument name to value.</param>
    /// <param name="context">The flow, atom and execution id of this call.</param>
    /// <param name="cancellationToken">Passed to a <see cref="CancellationToken"/> parameter.</param>
    /// <returns>What Execute returned (boxed); <see langword="null"/> when it returns nothing.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ValueTask<object?> ExecuteAsync(
        TaskDescriptor task,
        IServiceProvider services,
        IReadOnlyDictionary<string, object?> arguments,
        TaskContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        return InvokeAsync(task, task.ExecuteMethod, services, arguments, context, outcome: null, flowFailures: null, cancellationToken);
    }

    /// <summary>Runs the task's Revert; does nothing when the task has none (as in TaskFlow).</summary>
    /// <param name="task">The registered task.</param>
    /// <param name="services">Services for the task class constructor (use a scope per call for scoped services).</param>
    /// <param name="arguments">The arguments Execute received.</param>
    /// <param name="result">What Execute returned, when it succeeded.</param>
    /// <param name="executeFailure">The failure Execute ended with, or <see langword="null"/> when it succeeded.</param>
    /// <param name="flowFailures">Every failure of the flow by atom name (TaskFlow's <c>flow_failures</c>).</param>
    /// <param name="context">The flow, atom and execution id of this call.</param>
    /// <param name="cancellationToken">Passed to a <see cref="CancellationToken"/> parameter.</param>
    /// <returns>A task that completes when Revert has.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public static ValueTask RevertAsync(
        TaskDescriptor task,
        IServiceProvider services,
        IReadOnlyDictionary<string, object?> arguments,
        object? result,
        Failure? executeFailure,
        IReadOnlyDictionary<string, Failure>? flowFailures,
        TaskContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        var method = task.RevertMethod;
        if (method is null)
        {
            return default;
        }

        object? outcome = null;
        if (method.OutcomeFactory is not null)
        {
            try
            {
                // Stored results may have lost their exact type (e.g. through JSON); convert like an argument.
                var value = executeFailure is null && method.OutcomeType != typeof(object)
                    ? ArgumentConverter.Coerce(result, method.OutcomeType!, acceptsNull: true, task.Name, "revert outcome")
                    : result;
                outcome = method.OutcomeFactory(value, executeFailure);
            }
            catch (Exception ex)
            {
                return ValueTask.FromException(ex);
            }
        }

        var pending = InvokeAsync(task, method, services, arguments, context, outcome, flowFailures ?? NoFailures, cancellationToken);
        return pending.IsCompletedSuccessfully ? default : new ValueTask(pending.AsTask());
    }

    private static ValueTask<object?> InvokeAsync(
        TaskDescriptor task,
        TaskMethod method,
        IServiceProvider services,
        IReadOnlyDictionary<string, object?> arguments,
        TaskContext context,
        object? outcome,
        IReadOnlyDictionary<string, Failure>? flowFailures,
        CancellationToken cancellationToken)
    {
        FlowTask? instance = null;
        try
        {
            instance = task.CreateInstance(services, context);
            var pending = method.InvokeAsync(instance, arguments, context, outcome, flowFailures, cancellationToken);
            return instance is IDisposable or IAsyncDisposable ? DisposeAfterAsync(pending, instance) : pending;
        }
        catch (Exception ex)
        {
            // Everything goes out through the returned task, so callers handle failures in one place.
            var failed = ValueTask.FromException<object?>(ex);
            return instance is IDisposable or IAsyncDisposable ? DisposeAfterAsync(failed, instance) : failed;
        }
    }

    private static async ValueTask<object?> DisposeAfterAsync(ValueTask<object?> pending, FlowTask instance)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                ((IDisposable)instance).Dispose();
            }
        }
    }
}
