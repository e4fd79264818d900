namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>One parameter of a task's Execute or Revert, analysed once at registration.</summary>
internal sealed class TaskParameter
{
    public TaskParameter(string name, Type type, TaskParameterKind kind, bool isOptional, object? defaultValue)
    {
        Name = name;
        Type = type;
        Kind = kind;
        IsOptional = isOptional;
        DefaultValue = defaultValue;
        AcceptsNull = !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
    }

    /// <summary>The parameter name: the argument name for <see cref="TaskParameterKind.Argument"/>.</summary>
    public string Name { get; }

    /// <summary>The declared parameter type.</summary>
    public Type Type { get; }

    /// <summary>Where the value comes from.</summary>
    public TaskParameterKind Kind { get; }

    /// <summary>Whether the parameter has a default, so a missing argument is not an error.</summary>
    public bool IsOptional { get; }

    /// <summary>The default value, already of <see cref="Type"/> (or null).</summary>
    public object? DefaultValue { get; }

    /// <summary>Whether null can be passed.</summary>
    public bool AcceptsNull { get; }
}
