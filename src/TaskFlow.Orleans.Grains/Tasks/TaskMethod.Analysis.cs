using System.Reflection;
using System.Runtime.CompilerServices;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>Building a <see cref="TaskMethod"/> from a method or a delegate, rejecting what cannot be bound.</summary>
internal sealed partial class TaskMethod
{
    /// <summary>Analyses a public instance method of a task class.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <param name="owner">How error messages name the task, e.g. <c>Task class 'Ns.AllocateIp'</c>.</param>
    /// <param name="method">The method.</param>
    /// <param name="isRevert">Whether it is the revert method.</param>
    /// <param name="executeResultType">For revert: what execute returns, to check <c>TaskOutcome&lt;T&gt;</c>.</param>
    /// <returns>The method plan.</returns>
    /// <exception cref="ArgumentException">The method cannot be bound.</exception>
    public static TaskMethod ForInstanceMethod(string taskName, string owner, MethodInfo method, bool isRevert, Type? executeResultType)
    {
        CheckShape(owner, method);
        var parameters = Analyze(owner, method, method.GetParameters(), isRevert, executeResultType, out var outcomeType);
        return new TaskMethod(taskName, method, parameters, MethodInvoker.Create(method), usesInstance: true, target: null, outcomeType);
    }

    /// <summary>Analyses a delegate: a lambda with explicitly typed parameters, or a method group.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <param name="callback">The delegate.</param>
    /// <param name="isRevert">Whether it is the revert delegate.</param>
    /// <param name="executeResultType">For revert: what execute returns, to check <c>TaskOutcome&lt;T&gt;</c>.</param>
    /// <returns>The method plan.</returns>
    /// <exception cref="ArgumentException">The delegate cannot be bound.</exception>
    public static TaskMethod ForDelegate(string taskName, Delegate callback, bool isRevert, Type? executeResultType)
    {
        var owner = $"Delegate task '{taskName}'";
        if (callback.HasSingleTarget is false)
        {
            throw new ArgumentException(
                $"{owner}: the {(isRevert ? "revert" : "execute")} delegate combines several methods (a multicast delegate). Pass a single lambda or method.");
        }

        var method = callback.Method;
        CheckShape(owner, method);
        var invoke = callback.GetType().GetMethod("Invoke")!;
        var methodParameters = method.GetParameters();
        var invokeParameters = invoke.GetParameters();
        if (methodParameters.Length == invokeParameters.Length)
        {
            // Lambdas and method groups: call the method itself on the delegate's target (one indirection less).
            var parameters = Analyze(owner, method, methodParameters, isRevert, executeResultType, out var outcomeType);
            return new TaskMethod(taskName, method, parameters, MethodInvoker.Create(method), usesInstance: false, callback.Target, outcomeType);
        }

        // A static method closed over its first argument (an extension method group): the names come from the
        // method, minus the bound first parameter; the call goes through the delegate.
        var open = Analyze(owner, method, methodParameters[^invokeParameters.Length..], isRevert, executeResultType, out var closedOutcomeType);
        return new TaskMethod(taskName, method, open, MethodInvoker.Create(invoke), usesInstance: false, callback, closedOutcomeType);
    }

    private static void CheckShape(string owner, MethodInfo method)
    {
        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException(
                $"{owner}: {method.Name} is generic, so its argument types are unknown. Use concrete parameter types.");
        }

        if (method.ReturnType.IsByRef || method.ReturnType.IsPointer || method.ReturnType.IsByRefLike)
        {
            throw new ArgumentException(
                $"{owner}: {method.Name} returns {TypeDisplay.Of(method.ReturnType)}, which cannot be stored. Return a value, Task, Task<T>, ValueTask or ValueTask<T>.");
        }

        if (method.ReturnType == typeof(void) && method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
        {
            throw new ArgumentException(
                $"{owner}: {method.Name} is 'async void', so its completion and exceptions cannot be observed. Return Task (or Task<T>) instead.");
        }
    }

    private static TaskParameter[] Analyze(
        string owner, MethodInfo method, ParameterInfo[] parameters, bool isRevert, Type? executeResultType, out Type? outcomeType)
    {
        outcomeType = null;
        string? outcomeName = null;
        string? failuresName = null;
        string? valuesName = null;
        var result = new TaskParameter[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var type = parameter.ParameterType;
            var name = parameter.Name;
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException(
                    $"{owner}: parameter {i + 1} of {method.Name} has no name, so no argument can be bound to it. Use a method or lambda with named parameters.");
            }

            if (type.IsByRef || type.IsPointer || type.IsByRefLike)
            {
                throw new ArgumentException(
                    $"{owner}: parameter '{name}' of {method.Name} is {(type.IsByRef ? "passed by reference (ref, out or in)" : $"of type {TypeDisplay.Of(type)}")}. " +
                    "Task arguments are bound by value from the flow; remove the modifier, and return results instead of writing to parameters.");
            }

            if (parameter.IsDefined(typeof(RequiredValuesAttribute), inherit: false))
            {
                if (type != typeof(IReadOnlyDictionary<string, object?>))
                {
                    throw new ArgumentException(
                        $"{owner}: parameter '{name}' of {method.Name} is marked [RequiredValues] but is a {TypeDisplay.Of(type)}. " +
                        "Declare it as IReadOnlyDictionary<string, object?>.");
                }

                if (valuesName is not null)
                {
                    throw new ArgumentException(
                        $"{owner}: {method.Name} has two [RequiredValues] parameters ('{valuesName}' and '{name}'). Keep one.");
                }

                valuesName = name;
                result[i] = new TaskParameter(name, type, TaskParameterKind.RequiredValues, isOptional: true, defaultValue: null);
            }
            else if (type == typeof(CancellationToken))
            {
                result[i] = new TaskParameter(name, type, TaskParameterKind.CancellationToken, isOptional: true, defaultValue: null);
            }
            else if (type == typeof(TaskContext))
            {
                result[i] = new TaskParameter(name, type, TaskParameterKind.Context, isOptional: true, defaultValue: null);
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TaskOutcome<>))
            {
                outcomeType = type.GetGenericArguments()[0];
                CheckOutcome(owner, method, name, outcomeType, isRevert, executeResultType, outcomeName);
                outcomeName = name;
                result[i] = new TaskParameter(name, type, TaskParameterKind.Outcome, isOptional: true, defaultValue: null);
            }
            else if (type == typeof(IReadOnlyDictionary<string, Failure>))
            {
                if (!isRevert)
                {
                    throw new ArgumentException(
                        $"{owner}: {method.Name} takes the flow's failures ('{name}'), but only Revert receives them. Remove the parameter from {method.Name}.");
                }

                if (failuresName is not null)
                {
                    throw new ArgumentException(
                        $"{owner}: {method.Name} takes the flow's failures twice ('{failuresName}' and '{name}'). Keep one.");
                }

                failuresName = name;
                result[i] = new TaskParameter(name, type, TaskParameterKind.FlowFailures, isOptional: true, defaultValue: null);
            }
            else
            {
                // TaskFlow semantics: a parameter with a default is optional, everything else is required.
                var optional = parameter.HasDefaultValue || parameter.IsOptional;
                result[i] = new TaskParameter(name, type, TaskParameterKind.Argument, optional, optional ? DefaultOf(parameter) : null);
            }
        }

        return result;
    }

    private static void CheckOutcome(
        string owner, MethodInfo method, string name, Type outcomeType, bool isRevert, Type? executeResultType, string? previous)
    {
        if (!isRevert)
        {
            throw new ArgumentException(
                $"{owner}: {method.Name} takes a TaskOutcome<{TypeDisplay.Of(outcomeType)}> ('{name}'), but only Revert receives the execute outcome. Remove it from {method.Name}.");
        }

        if (previous is not null)
        {
            throw new ArgumentException(
                $"{owner}: {method.Name} takes the execute outcome twice ('{previous}' and '{name}'). Keep one TaskOutcome<T> parameter.");
        }

        var expected = executeResultType ?? typeof(void);
        var matches = outcomeType == expected || (expected == typeof(void) && outcomeType == typeof(object));
        if (!matches)
        {
            var fix = expected == typeof(void)
                ? "Execute returns no value, so use TaskOutcome<object> (its Value is always null) or drop the parameter"
                : $"Change it to TaskOutcome<{TypeDisplay.Of(expected)}>";
            throw new ArgumentException(
                $"{owner}: {method.Name} takes TaskOutcome<{TypeDisplay.Of(outcomeType)}> ('{name}'), but execute produces " +
                $"{TypeDisplay.Of(expected)}. {fix}.");
        }
    }

    private static object? DefaultOf(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var value = parameter.HasDefaultValue ? parameter.DefaultValue : null;
        if (value is DBNull or Missing)
        {
            value = null;
        }

        if (value is null)
        {
            // `DateTime when = default` and [Optional] without a default: default(T).
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        // Reflection reports enum defaults as their underlying integer.
        return target.IsEnum && value.GetType() != target ? Enum.ToObject(target, value) : value;
    }
}
