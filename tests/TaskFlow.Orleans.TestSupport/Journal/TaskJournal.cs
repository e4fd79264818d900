using System.Collections.Concurrent;
using System.Collections.Immutable;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Journal;

/// <summary>
/// Where the test tasks record every Execute and Revert they run: arguments, results or outcomes, the flow's failures
/// and the silo. Thread-safe and static, because the silos of a TestCluster run in the test process and task instances
/// are created by dependency injection on whichever silo runs them.
/// </summary>
/// <remarks>Entries are kept per flow id, so tests that each use a fresh flow id can share one cluster.</remarks>
public static class TaskJournal
{
    private static readonly ConcurrentDictionary<string, List<JournalEntry>> Entries = new(StringComparer.Ordinal);
    private static long _order;

    /// <summary>Records an Execute that returned.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="taskName">The task's registered name.</param>
    /// <param name="silo">The silo it ran on, if known.</param>
    /// <param name="result">What it returned.</param>
    /// <param name="arguments">The named arguments it received.</param>
    /// <returns><paramref name="result"/>, so a task can write <c>return TaskJournal.Executed(...)</c>.</returns>
    public static T Executed<T>(TaskContext context, string taskName, string? silo, T result, params (string Name, object? Value)[] arguments)
    {
        Record(new JournalEntry
        {
            Order = 0,
            Timestamp = default,
            FlowId = context.FlowId,
            AtomName = context.AtomName,
            ExecutionId = context.ExecutionId,
            TaskName = taskName,
            Action = TaskAction.Execute,
            Arguments = ToArguments(arguments),
            Result = result,
            Silo = silo,
        });
        return result;
    }

    /// <summary>Records an Execute that is about to throw.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="taskName">The task's registered name.</param>
    /// <param name="silo">The silo it ran on, if known.</param>
    /// <param name="exception">What it throws.</param>
    /// <param name="arguments">The named arguments it received.</param>
    /// <returns><paramref name="exception"/>, so a task can write <c>throw TaskJournal.ExecuteFailed(...)</c>.</returns>
    public static Exception ExecuteFailed(TaskContext context, string taskName, string? silo, Exception exception, params (string Name, object? Value)[] arguments)
    {
        Record(new JournalEntry
        {
            Order = 0,
            Timestamp = default,
            FlowId = context.FlowId,
            AtomName = context.AtomName,
            ExecutionId = context.ExecutionId,
            TaskName = taskName,
            Action = TaskAction.Execute,
            Arguments = ToArguments(arguments),
            Failure = Failure.FromException(exception),
            Silo = silo,
        });
        return exception;
    }

    /// <summary>Records a Revert.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="taskName">The task's registered name.</param>
    /// <param name="silo">The silo it ran on, if known.</param>
    /// <param name="outcome">The execute outcome it received.</param>
    /// <param name="flowFailures">The flow's failures it received.</param>
    /// <param name="arguments">The named arguments it received.</param>
    /// <param name="revertFailure">The exception the revert is about to throw, if it fails.</param>
    public static void Reverted<T>(
        TaskContext context,
        string taskName,
        string? silo,
        TaskOutcome<T> outcome,
        IReadOnlyDictionary<string, Failure>? flowFailures,
        (string Name, object? Value)[] arguments,
        Exception? revertFailure = null) =>
        Record(new JournalEntry
        {
            Order = 0,
            Timestamp = default,
            FlowId = context.FlowId,
            AtomName = context.AtomName,
            ExecutionId = context.ExecutionId,
            TaskName = taskName,
            Action = TaskAction.Revert,
            Arguments = ToArguments(arguments),
            Result = outcome.Value,
            Failure = outcome.Failure,
            OutcomeIsSuccess = outcome.IsSuccess,
            FlowFailures = flowFailures?.ToImmutableDictionary(StringComparer.Ordinal) ?? ImmutableDictionary<string, Failure>.Empty,
            RevertFailure = revertFailure is null ? null : Failure.FromException(revertFailure),
            Silo = silo,
        });

    /// <summary>Adds an entry, stamping its order number and time.</summary>
    /// <param name="entry">The entry; its <see cref="JournalEntry.Order"/> and <see cref="JournalEntry.Timestamp"/> are replaced.</param>
    public static void Record(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var list = Entries.GetOrAdd(entry.FlowId, static _ => []);
        lock (list)
        {
            // Numbered under the flow's lock, so a flow's entries are numbered in the order they were appended.
            list.Add(entry with
            {
                Order = Interlocked.Increment(ref _order),
                Timestamp = DateTimeOffset.UtcNow,
                ThreadId = Environment.CurrentManagedThreadId,
            });
        }
    }

    /// <summary>Every entry of a flow, in the order recorded.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<JournalEntry> For(string flowId)
    {
        if (!Entries.TryGetValue(flowId, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>The Execute entries of a flow, in order.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<JournalEntry> Executes(string flowId) => [.. For(flowId).Where(e => e.Action == TaskAction.Execute)];

    /// <summary>The Revert entries of a flow, in order.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<JournalEntry> Reverts(string flowId) => [.. For(flowId).Where(e => e.Action == TaskAction.Revert)];

    /// <summary>A flow's calls in the short form <c>atom.execute</c> / <c>atom.revert</c>, in order.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <returns>The calls.</returns>
    public static IReadOnlyList<string> Trace(string flowId) => [.. For(flowId).Select(e => e.ToString())];

    /// <summary>The one Execute entry of an atom.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="InvalidOperationException">The atom executed not exactly once.</exception>
    public static JournalEntry Execute(string flowId, string atomName) => Single(flowId, atomName, TaskAction.Execute);

    /// <summary>The one Revert entry of an atom.</summary>
    /// <param name="flowId">The flow run's id.</param>
    /// <param name="atomName">The atom.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="InvalidOperationException">The atom reverted not exactly once.</exception>
    public static JournalEntry Revert(string flowId, string atomName) => Single(flowId, atomName, TaskAction.Revert);

    /// <summary>Forgets a flow's entries.</summary>
    /// <param name="flowId">The flow run's id.</param>
    public static void Clear(string flowId) => Entries.TryRemove(flowId, out _);

    private static JournalEntry Single(string flowId, string atomName, TaskAction action)
    {
        var matches = For(flowId).Where(e => e.AtomName == atomName && e.Action == action).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected one {action} of atom '{atomName}' in flow '{flowId}', found {matches.Count}. Journal: {string.Join(", ", Trace(flowId))}.");
    }

    private static ImmutableDictionary<string, object?> ToArguments((string Name, object? Value)[] arguments)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            builder[name] = value;
        }

        return builder.ToImmutable();
    }
}
