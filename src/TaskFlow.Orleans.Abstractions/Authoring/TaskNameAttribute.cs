namespace TaskFlow.Orleans.Authoring;

/// <summary>The stable name a task is registered and referred to by; without it the fully qualified class name is used.</summary>
/// <param name="name">The name, e.g. <c>compute.allocate-ip</c>. Keep it stable: stored flows refer to it.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    /// <summary>The registered name.</summary>
    public string Name { get; } = name;
}
