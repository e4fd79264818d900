using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>The tasks registered on this silo, by name: what the compiler checks flows against and what executors run.</summary>
/// <remarks>
/// Tasks are registered while the silo is configured (<c>AddTaskFlow(t =&gt; t.AddTask&lt;MyTask&gt;())</c>). Each
/// registration analyses the task once and rejects what cannot work with an <see cref="ArgumentException"/> that
/// names the task and the fix. Only registered names can ever run: nothing resolves a CLR type from a name that
/// came over the wire.
/// </remarks>
internal sealed class TaskCatalog : ITaskCatalog
{
    private const int MaxNamesInMessages = 50;
    private readonly ConcurrentDictionary<string, TaskDescriptor> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IRetryController> _retryControllers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ILinkDecider> _deciders = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyCollection<string> RetryControllerNames => [.. _retryControllers.Keys.Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public IReadOnlyCollection<string> DeciderNames => [.. _deciders.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers a user-defined retry controller under a name flows refer to with <c>Retry.Custom(name)</c>.</summary>
    /// <param name="name">The stable name.</param>
    /// <param name="controller">The controller; it runs in the engine's process and must be thread-safe.</param>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void AddRetryController(string name, IRetryController controller)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(controller);
        if (!_retryControllers.TryAdd(name, controller))
        {
            throw new ArgumentException($"A retry controller named '{name}' is already registered; give the second one another name.", nameof(name));
        }
    }

    /// <summary>Registers a link decider under a name flows refer to with <c>Link(from, to, decider: name)</c>.</summary>
    /// <param name="name">The stable name.</param>
    /// <param name="decider">Gets the results of the link's source atoms by atom name; returns whether the target runs.</param>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void AddDecider(string name, Func<IReadOnlyDictionary<string, object?>, bool> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        AddDecider(name, new DelegateDecider(context => decider(context.History)));
    }

    /// <summary>Registers a link decider that sees the run and the link (<see cref="Authoring.DeciderContext"/>).</summary>
    /// <param name="name">The stable name flows refer to.</param>
    /// <param name="decider">Returns whether the atom behind the link runs.</param>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public void AddDecider(string name, ILinkDecider decider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(decider);
        if (!_deciders.TryAdd(name, decider))
        {
            throw new ArgumentException($"A decider named '{name}' is already registered; give the second one another name.", nameof(name));
        }
    }

    /// <inheritdoc />
    public bool TryGetRetryController(string name, [NotNullWhen(true)] out IRetryController? controller) =>
        _retryControllers.TryGetValue(name, out controller);

    /// <inheritdoc />
    public bool TryGetDecider(string name, [NotNullWhen(true)] out ILinkDecider? decider) => _deciders.TryGetValue(name, out decider);

    private sealed class DelegateDecider(Func<Authoring.DeciderContext, bool> decide) : ILinkDecider
    {
        public bool Decide(Authoring.DeciderContext context) => decide(context);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> TaskNames => [.. _tasks.Keys.Order(StringComparer.Ordinal)];

    /// <summary>How many tasks are registered.</summary>
    public int Count => _tasks.Count;

    /// <summary>Registers a task class under <see cref="Authoring.TaskNames.Of(Type)"/>.</summary>
    /// <typeparam name="TTask">The task class.</typeparam>
    /// <returns>The descriptor. Registering the same class again returns the existing one.</returns>
    /// <exception cref="ArgumentException">The class is not a valid task, or another task already has its name.</exception>
    public TaskDescriptor AddTask<TTask>() where TTask : FlowTask => AddTask(typeof(TTask));

    /// <summary>Registers a task class under <see cref="Authoring.TaskNames.Of(Type)"/>.</summary>
    /// <param name="taskType">A concrete <see cref="FlowTask"/> subclass.</param>
    /// <returns>The descriptor. Registering the same class again returns the existing one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskType"/> is null.</exception>
    /// <exception cref="ArgumentException">The class is not a valid task, or another task already has its name.</exception>
    public TaskDescriptor AddTask(Type taskType)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        if (_tasks.TryGetValue(Authoring.TaskNames.Of(taskType), out var existing) && existing.TaskType == taskType)
        {
            return existing;
        }

        return Add(TaskDescriptor.FromType(taskType));
    }

    /// <summary>Registers a delegate as a task: its parameter names are the requirements, as for a task class.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="execute">The execute delegate: a lambda with explicitly typed parameters, e.g. <c>(int x) =&gt; x + 1</c>.</param>
    /// <param name="revert">The revert delegate, if the task can be undone.</param>
    /// <param name="provides">The names the result is stored under by default.</param>
    /// <param name="capability">A capability a silo must advertise to run it (see <c>RequiresCapabilityAttribute</c>).</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="execute"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or taken, or a delegate cannot be bound.</exception>
    public TaskDescriptor AddTask(string name, Delegate execute, Delegate? revert = null, Symbols provides = default, string? capability = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(execute);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A delegate task needs a non-empty name; flows refer to the task by it.", nameof(name));
        }

        if (_tasks.ContainsKey(name))
        {
            throw Duplicate(name, $"delegate task '{name}'");
        }

        return Add(TaskDescriptor.FromDelegate(name, execute, revert, provides, capability));
    }

    /// <inheritdoc />
    public bool TryGetSignature(string taskName, [NotNullWhen(true)] out TaskSignature? signature)
    {
        if (TryGetTask(taskName, out var task))
        {
            signature = task.Signature;
            return true;
        }

        signature = null;
        return false;
    }

    /// <summary>Finds a registered task by name.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <param name="task">The task, when found.</param>
    /// <returns>Whether the name is registered.</returns>
    public bool TryGetTask(string taskName, [NotNullWhen(true)] out TaskDescriptor? task)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        if (_tasks.TryGetValue(taskName, out task))
        {
            return true;
        }

        // A class name without its namespace, while it is unique.
        return FullNamesOf(taskName) is [var only] && _tasks.TryGetValue(only, out task);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> FullNamesOf(string shortName)
    {
        ArgumentNullException.ThrowIfNull(shortName);
        if (shortName.Length == 0 || shortName.Contains('.', StringComparison.Ordinal))
        {
            return [];
        }

        var suffix = "." + shortName;
        return [.. _tasks.Keys.Where(name => name.EndsWith(suffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Gets a registered task by name.</summary>
    /// <param name="taskName">The registered name.</param>
    /// <returns>The task.</returns>
    /// <exception cref="TaskNotRegisteredException">No task has that name on this silo.</exception>
    public TaskDescriptor GetTask(string taskName) => TryGetTask(taskName, out var task)
        ? task
        : throw new TaskNotRegisteredException(taskName, DescribeNotRegistered(taskName));

    /// <summary>Explains that a task is not registered: which silo, what is registered, and how to fix it.</summary>
    /// <param name="taskName">The missing name.</param>
    /// <param name="siloIdentity">The silo that looked, when known.</param>
    /// <returns>The message.</returns>
    public string DescribeNotRegistered(string taskName, string? siloIdentity = null)
    {
        var names = TaskNames;
        var listed = names.Count == 0
            ? "none"
            : string.Join(", ", names.Take(MaxNamesInMessages)) + (names.Count > MaxNamesInMessages ? $" and {names.Count - MaxNamesInMessages} more" : "");
        var where = siloIdentity is null ? "this silo" : $"silo {siloIdentity}";
        return $"Task '{taskName}' is not registered on {where}. Registered tasks: {listed}. " +
               "Register it with AddTask on every silo, e.g. siloBuilder.AddTaskFlow(taskFlow => taskFlow.AddTask<YourTask>()), " +
               "and check the name matches its [TaskName].";
    }

    private TaskDescriptor Add(TaskDescriptor task)
    {
        if (!_tasks.TryAdd(task.Name, task))
        {
            throw Duplicate(task.Name, task.TaskType is null ? $"delegate task '{task.Name}'" : $"task class '{task.TaskType.FullName}'");
        }

        return task;
    }

    private ArgumentException Duplicate(string name, string newcomer)
    {
        var existing = _tasks[name];
        var holder = existing.TaskType is null ? "a delegate task" : $"task class '{existing.TaskType.FullName}'";
        return new ArgumentException(
            $"Task name '{name}' is already registered by {holder}, so {newcomer} cannot use it too. " +
            "Task names must be unique on a silo: give one of them a different [TaskName(\"...\")] or delegate name.");
    }
}
