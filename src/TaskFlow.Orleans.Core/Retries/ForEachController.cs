using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Retries;

/// <summary>
/// TaskFlow's <c>ForEach</c> and <c>ParameterizedForEach</c>: provides the first value not yet tried (each provided value in
/// the history uses up one occurrence), retries while such a value remains, then reverts (or reverts everything).
/// </summary>
/// <remarks>With <see cref="Values"/> given the list is fixed (<c>ForEach</c>); with none, it is read from the
/// <c>values</c> argument (<c>ParameterizedForEach</c>).</remarks>
internal sealed class ForEachController : IRetryController
{
    /// <summary>A controller over a fixed list (<c>ForEach</c>).</summary>
    /// <param name="name">The retry's name, for the error when no value is left.</param>
    /// <param name="values">The values, in order.</param>
    /// <param name="revertAll">Give up with REVERT_ALL rather than REVERT.</param>
    public ForEachController(string name, IReadOnlyList<object?>? values, bool revertAll = false)
    {
        Name = name;
        Values = values;
        RevertAll = revertAll;
    }

    /// <summary>The retry's name.</summary>
    public string Name { get; }

    /// <summary>The fixed values, or <see langword="null"/> to read them from the <c>values</c> argument.</summary>
    public IReadOnlyList<object?>? Values { get; }

    /// <summary>Whether giving up reverts the whole flow.</summary>
    public bool RevertAll { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Every value was tried (TaskFlow raises <c>NotFound</c>), or the values argument is not a list.</exception>
    public object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
        TryNext(history, arguments, out var next)
            ? next
            : throw new InvalidOperationException($"No elements left in collection of iterable retry controller '{Name}'.");

    /// <inheritdoc />
    public RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments) =>
        TryNext(history, arguments, out _) ? RetryDecision.Retry : RevertAll ? RetryDecision.RevertAll : RetryDecision.Revert;

    private bool TryNext(RetryHistory history, IReadOnlyDictionary<string, object?> arguments, out object? next)
    {
        var remaining = new List<object?>(ValuesFrom(arguments));
        foreach (var tried in history.ProvidedValues)
        {
            var index = remaining.FindIndex(value => Equals(value, tried));
            if (index >= 0)
            {
                remaining.RemoveAt(index);
            }
        }

        next = remaining.Count > 0 ? remaining[0] : null;
        return remaining.Count > 0;
    }

    private IEnumerable<object?> ValuesFrom(IReadOnlyDictionary<string, object?> arguments)
    {
        if (Values is not null)
        {
            return Values;
        }

        if (!arguments.TryGetValue(Retry.ValuesArgument, out var values) || values is null)
        {
            return [];
        }

        return values is System.Collections.IEnumerable sequence and not string
            ? sequence.Cast<object?>()
            : throw new InvalidOperationException(
                $"Retry '{Name}' (ParameterizedForEach) needs a list of values, but its values argument is a {values.GetType().Name}.");
    }
}
