using System.Globalization;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Client;

/// <summary>The outcome of a finished flow run: its state and results by provided name.</summary>
public sealed class FlowResult
{
    internal FlowResult(FlowSnapshot snapshot) => Snapshot = snapshot;

    /// <summary>The flow run's id.</summary>
    public string FlowId => Snapshot.FlowId;

    /// <summary>The terminal state: SUCCESS (or SUSPENDED when it was suspended).</summary>
    public FlowState State => Snapshot.State;

    /// <summary>Results by provided name.</summary>
    public IReadOnlyDictionary<string, object?> Results => Snapshot.Results;

    /// <summary>The run's inputs by name, as it was started with them (masked ones shown as
    /// <see cref="Snapshots.FlowSnapshot.MaskedValue"/>).</summary>
    public IReadOnlyDictionary<string, object?> Inputs => Snapshot.Inputs;

    /// <summary>Inputs and results together, a result winning over an input of the same name (TaskFlow's
    /// <c>storage.fetch_all()</c>).</summary>
    public IReadOnlyDictionary<string, object?> All => _all ??= Snapshot.Inputs.SetItems(Snapshot.Results);

    private IReadOnlyDictionary<string, object?>? _all;

    /// <summary>The whole final snapshot: every atom's state, result and timings.</summary>
    public FlowSnapshot Snapshot { get; }

    /// <summary>A result by provided name, else an input of that name (TaskFlow's <c>storage.fetch(name)</c>), converted to
    /// <typeparamref name="T"/> when it is a convertible primitive.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="name">The provided name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">No atom provided that name.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>.</exception>
    public T Get<T>(string name)
    {
        if (!Results.TryGetValue(name, out var value) && !Inputs.TryGetValue(name, out value))
        {
            throw new KeyNotFoundException(
                $"Flow '{Snapshot.FlowName}' ({FlowId}) has no result or input named '{name}'. Results: {string.Join(", ", Results.Keys.Order())}; " +
                $"inputs: {(Inputs.Count == 0 ? "none" : string.Join(", ", Inputs.Keys.Order()))}.");
        }

        switch (value)
        {
            case T typed:
                return typed;
            case null when default(T) is null:
                return default!;
            case IConvertible when typeof(IConvertible).IsAssignableFrom(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)):
                return (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
            default:
                throw new InvalidCastException(
                    $"Result '{name}' of flow '{Snapshot.FlowName}' is a {value?.GetType().FullName ?? "null"}, not a {typeof(T).FullName}.");
        }
    }
}
