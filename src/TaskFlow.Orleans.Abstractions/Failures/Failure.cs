using System.Collections.Immutable;

namespace TaskFlow.Orleans.Failures;

/// <summary>
/// A serializable record of an exception: type names (the exception's type and its base types),
/// message, stack trace and inner causes. It is how a task failure travels and is stored; a live
/// exception object never crosses a grain call.
/// </summary>
/// <remarks>Modelled on TaskFlow's <c>types/failure.py</c>: the original type is never re-created
/// on the receiving side, it is matched by name with <see cref="Check(string[])"/>.</remarks>
[GenerateSerializer, Immutable]
[Alias("taskflow.Failure")]
public sealed record Failure
{
    /// <summary>Full names of the exception's type and all its base types up to <see cref="Exception"/>, most derived first.</summary>
    [Id(0)] public required ImmutableArray<string> ExceptionTypeNames { get; init; }

    /// <summary>The exception's message.</summary>
    [Id(1)] public required string Message { get; init; }

    /// <summary>The stack trace where the exception was thrown, if any.</summary>
    [Id(2)] public string? StackTrace { get; init; }

    /// <summary>The inner exception, recorded the same way, if any.</summary>
    [Id(3)] public Failure? Cause { get; init; }

    /// <summary>The most derived exception type name.</summary>
    public string ExceptionTypeName => ExceptionTypeNames.IsDefaultOrEmpty ? "System.Exception" : ExceptionTypeNames[0];

    /// <summary>Records an exception, its base type names and its inner exceptions.</summary>
    /// <param name="exception">The exception to record.</param>
    /// <returns>The failure.</returns>
    public static Failure FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        for (var type = exception.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            names.Add(type.FullName ?? type.Name);
        }

        return new Failure
        {
            ExceptionTypeNames = names.ToImmutable(),
            Message = exception.Message,
            StackTrace = exception.StackTrace,
            Cause = exception.InnerException is { } inner ? FromException(inner) : null,
        };
    }

    /// <summary>Creates a failure that was not caused by a thrown exception, such as a timeout or a missing task.</summary>
    /// <param name="typeName">A type-like name for the failure kind, e.g. <c>TaskFlow.Orleans.TaskNotRegisteredException</c>.</param>
    /// <param name="message">What happened and how to fix it.</param>
    /// <returns>The failure.</returns>
    public static Failure Create(string typeName, string message) => new()
    {
        ExceptionTypeNames = [typeName, typeof(Exception).FullName!],
        Message = message,
    };

    /// <summary>Returns the first of the given type names that this failure's exception is (or derives from), or <see langword="null"/>.</summary>
    /// <param name="typeNames">Full or simple type names to look for.</param>
    /// <returns>The matching name, or <see langword="null"/>.</returns>
    public string? Check(params string[] typeNames)
    {
        foreach (var wanted in typeNames)
        {
            foreach (var name in ExceptionTypeNames)
            {
                if (name == wanted || name.EndsWith("." + wanted, StringComparison.Ordinal))
                {
                    return wanted;
                }
            }
        }

        return null;
    }

    /// <summary>Whether this failure's exception is of type <typeparamref name="TException"/> or derives from it.</summary>
    /// <typeparam name="TException">The exception type to match by name.</typeparam>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Is<TException>() where TException : Exception => Check(typeof(TException).FullName!) is not null;

    /// <summary>Value equality: same type names (in order), message, stack trace and causes.</summary>
    /// <param name="other">The other failure.</param>
    /// <returns>Whether they record the same exception.</returns>
    public bool Equals(Failure? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Message == other.Message
                && StackTrace == other.StackTrace
                && ExceptionTypeNames.AsSpan().SequenceEqual(other.ExceptionTypeNames.AsSpan())
                && Equals(Cause, other.Cause)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ExceptionTypeName, Message, StackTrace, Cause);

    /// <inheritdoc />
    public override string ToString() => Cause is null
        ? $"{ExceptionTypeName}: {Message}"
        : $"{ExceptionTypeName}: {Message} ---> {Cause}";
}
