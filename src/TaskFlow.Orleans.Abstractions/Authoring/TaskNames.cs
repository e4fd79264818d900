using System.Reflection;

namespace TaskFlow.Orleans.Authoring;

/// <summary>Finds the registered name of a task type.</summary>
public static class TaskNames
{
    /// <summary>The name of <typeparamref name="TTask"/>: its <see cref="TaskNameAttribute"/>, else its fully qualified class
    /// name (TaskFlow's default, so that two classes of one name in different namespaces do not collide).</summary>
    /// <typeparam name="TTask">The task type.</typeparam>
    /// <returns>The name.</returns>
    public static string Of<TTask>() where TTask : FlowTask => Of(typeof(TTask));

    /// <summary>The name of a task type: its <see cref="TaskNameAttribute"/>, else its fully qualified class name
    /// (<c>MyApp.Calls.CallJim</c>; a nested class as <c>MyApp.Outer.CallJim</c>). Flows may still name it by its class
    /// name alone while that is unique among the tasks registered on the silos.</summary>
    /// <param name="taskType">The task type.</param>
    /// <returns>The name.</returns>
    public static string Of(Type taskType)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        return taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? (taskType.FullName ?? taskType.Name).Replace('+', '.');
    }
}
