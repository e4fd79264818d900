using System.Reflection;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>
/// A task's Execute or Revert method with everything reflection can tell precomputed at registration: the
/// parameter binding plan, a <see cref="MethodInvoker"/>, and how to turn the returned value into a result.
/// A call then costs one argument array, one dictionary lookup per argument and one invoke.
/// </summary>
internal sealed partial class TaskMethod
{
    private readonly MethodInvoker _invoker;
    private readonly TaskParameter[] _parameters;
    private readonly ReturnKind _returnKind;
    private readonly Func<object?, ValueTask<object?>>? _awaitResult;
    private readonly bool _usesInstance;
    private readonly object? _target;
    private readonly string _taskName;

    private TaskMethod(
        string taskName,
        MethodInfo method,
        TaskParameter[] parameters,
        MethodInvoker invoker,
        bool usesInstance,
        object? target,
        Type? outcomeType)
    {
        _taskName = taskName;
        Method = method;
        _parameters = parameters;
        _invoker = invoker;
        _usesInstance = usesInstance;
        _target = target;
        (_returnKind, ResultType) = Classify(method.ReturnType);
        _awaitResult = _returnKind switch
        {
            ReturnKind.TaskOfT => CreateAwaiter(nameof(AwaitTaskOfT), ResultType),
            ReturnKind.ValueTaskOfT => CreateAwaiter(nameof(AwaitValueTaskOfT), ResultType),
            _ => null,
        };
        OutcomeType = outcomeType;
        if (outcomeType is not null)
        {
            OutcomeFactory = typeof(TaskMethod).GetMethod(nameof(CreateOutcome), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(outcomeType)
                .CreateDelegate<Func<object?, Failure?, object>>();
        }
    }

    private enum ReturnKind
    {
        Void,
        Value,
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
    }

    /// <summary>The reflected method (for delegates, the lambda's method).</summary>
    public MethodInfo Method { get; }

    /// <summary>The parameters in declaration order.</summary>
    public IReadOnlyList<TaskParameter> Parameters => _parameters;

    /// <summary>What the method produces once awaited; <see cref="void"/> for void, Task and ValueTask.</summary>
    public Type ResultType { get; }

    /// <summary>The <c>T</c> of a <c>TaskOutcome&lt;T&gt;</c> parameter, when the method has one.</summary>
    public Type? OutcomeType { get; }

    /// <summary>Builds a boxed <c>TaskOutcome&lt;OutcomeType&gt;</c> from a value or a failure.</summary>
    public Func<object?, Failure?, object>? OutcomeFactory { get; }

    /// <summary>
    /// Binds the arguments and invokes the method. Binding errors and exceptions thrown synchronously by the
    /// method are thrown from here; asynchronous ones surface when the returned value is awaited.
    /// </summary>
    /// <param name="instance">The task instance, for a class task; ignored for a delegate task.</param>
    /// <param name="arguments">Argument name to value.</param>
    /// <param name="context">The call's context.</param>
    /// <param name="outcome">The boxed <c>TaskOutcome&lt;T&gt;</c> for Revert, if it takes one.</param>
    /// <param name="flowFailures">The flow's failures for Revert.</param>
    /// <param name="cancellationToken">The call's token.</param>
    /// <returns>The boxed result; null for methods that return nothing.</returns>
    public ValueTask<object?> InvokeAsync(
        object? instance,
        IReadOnlyDictionary<string, object?> arguments,
        TaskContext context,
        object? outcome,
        IReadOnlyDictionary<string, Failure>? flowFailures,
        CancellationToken cancellationToken)
    {
        var parameters = _parameters;
        var values = parameters.Length == 0 ? [] : new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            values[i] = parameter.Kind switch
            {
                TaskParameterKind.Argument => Bind(parameter, arguments),
                TaskParameterKind.CancellationToken => cancellationToken,
                TaskParameterKind.Context => context,
                TaskParameterKind.Outcome => outcome,
                TaskParameterKind.RequiredValues => Remaining(arguments),
                _ => flowFailures ?? EmptyFailures,
            };
        }

        var returned = _invoker.Invoke(_usesInstance ? instance : _target, new Span<object?>(values));
        switch (_returnKind)
        {
            case ReturnKind.Void:
                return default;
            case ReturnKind.Value:
                return new ValueTask<object?>(returned);
            case ReturnKind.Task:
                var task = returned as Task ?? throw NullAwaitable();
                return task.IsCompletedSuccessfully ? default : AwaitTask(task);
            case ReturnKind.ValueTask:
                var valueTask = (ValueTask)returned!;
                return valueTask.IsCompletedSuccessfully ? default : AwaitValueTask(valueTask);
            default:
                return _awaitResult!(returned ?? throw NullAwaitable());
        }
    }

    private static readonly IReadOnlyDictionary<string, Failure> EmptyFailures = new Dictionary<string, Failure>();

    /// <summary>For a <see cref="TaskParameterKind.RequiredValues"/> parameter: the arguments no named parameter takes.</summary>
    private IReadOnlyDictionary<string, object?> Remaining(IReadOnlyDictionary<string, object?> arguments)
    {
        var named = _namedArguments ??= [.. _parameters.Where(p => p.Kind == TaskParameterKind.Argument).Select(p => p.Name)];
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            if (!named.Contains(name))
            {
                values[name] = value;
            }
        }

        return values;
    }

    private HashSet<string>? _namedArguments;

    private object? Bind(TaskParameter parameter, IReadOnlyDictionary<string, object?> arguments)
    {
        if (arguments.TryGetValue(parameter.Name, out var value))
        {
            // Fast path first: the value usually has exactly the declared type.
            return value is not null && value.GetType() == parameter.Type
                ? value
                : ArgumentConverter.Coerce(value, parameter.Type, parameter.AcceptsNull, _taskName, $"argument '{parameter.Name}'");
        }

        if (parameter.IsOptional)
        {
            return parameter.DefaultValue;
        }

        throw new ArgumentException(
            $"Task '{_taskName}' requires argument '{parameter.Name}' ({TypeDisplay.Of(parameter.Type)}), but no value was given " +
            $"(given: {(arguments.Count == 0 ? "none" : string.Join(", ", arguments.Keys.Order(StringComparer.Ordinal)))}). " +
            $"Provide '{parameter.Name}' from an earlier atom, the flow's inputs or an inject, or rebind it; " +
            "or give the parameter a default value to make it optional.");
    }

    private InvalidOperationException NullAwaitable() => new(
        $"Task '{_taskName}': {Method.Name} returned a null {TypeDisplay.Of(Method.ReturnType)}. Return a completed task instead of null.");

    private static async ValueTask<object?> AwaitTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitValueTask(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static ValueTask<object?> AwaitTaskOfT<T>(object? returned)
    {
        var task = (Task<T>)returned!;
        return task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);

        static async ValueTask<object?> Await(Task<T> task) => await task.ConfigureAwait(false);
    }

    private static ValueTask<object?> AwaitValueTaskOfT<T>(object? returned)
    {
        var task = (ValueTask<T>)returned!;
        return task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);

        static async ValueTask<object?> Await(ValueTask<T> task) => await task.ConfigureAwait(false);
    }

    private static object CreateOutcome<T>(object? value, Failure? failure) =>
        failure is null ? TaskOutcome<T>.Success(value is null ? default : (T)value) : TaskOutcome<T>.Failed(failure);

    private static Func<object?, ValueTask<object?>> CreateAwaiter(string name, Type resultType) =>
        typeof(TaskMethod).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(resultType)
            .CreateDelegate<Func<object?, ValueTask<object?>>>();

    private static (ReturnKind Kind, Type ResultType) Classify(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return (ReturnKind.Void, typeof(void));
        }

        if (returnType == typeof(Task))
        {
            return (ReturnKind.Task, typeof(void));
        }

        if (returnType == typeof(ValueTask))
        {
            return (ReturnKind.ValueTask, typeof(void));
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            if (definition == typeof(Task<>))
            {
                return (ReturnKind.TaskOfT, returnType.GetGenericArguments()[0]);
            }

            if (definition == typeof(ValueTask<>))
            {
                return (ReturnKind.ValueTaskOfT, returnType.GetGenericArguments()[0]);
            }
        }

        return (ReturnKind.Value, returnType);
    }
}
