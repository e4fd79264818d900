using System.Reflection;

namespace TaskFlow.Orleans.Authoring;

/// <summary>Finds the registered name of a task type.</summary>
public static class TaskNames
{
    /// <summary>The name of <typeparamref name="TTask"/>: its <see cref="TaskNameAttribute"/>, else its class name.</summary>
    /// <typeparam name="TTask">The task type.</typeparam>
    /// <returns>The name.</returns>
    public static string Of<TTask>() where TTask : FlowTask => Of(typeof(TTask));

    /// <summary>The name of a task type: its <see cref="TaskNameAttribute"/>, else its class name.</summary>
    /// <param name="taskType">The task type.</param>
    /// <returns>The name.</returns>
    public static string Of(Type taskType)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        return taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? taskType.Name;
    }
}
