namespace TaskFlow.Orleans.Authoring;

/// <summary>The names a task's result is stored under when a flow does not say (TaskFlow's <c>default_provides</c>).</summary>
/// <param name="names">One name for the whole result, or several to split a tuple, list, dictionary or record.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class DefaultProvidesAttribute(params string[] names) : Attribute
{
    /// <summary>The names.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}
