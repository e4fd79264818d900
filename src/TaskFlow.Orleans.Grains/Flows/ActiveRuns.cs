using System.Collections.Concurrent;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>The runs this silo's engines are driving now: unfinished and not suspended (an engine counts its run while it
/// keeps itself active, see <see cref="FlowGrain"/>). Shown to operators per silo (<c>SiloView.ActiveFlows</c>).</summary>
internal sealed class ActiveRuns
{
    private readonly ConcurrentDictionary<string, byte> _runs = new(StringComparer.Ordinal);

    /// <summary>How many runs are driven here.</summary>
    public int Count => _runs.Count;

    /// <summary>An engine started driving its run.</summary>
    public void Add(string flowId) => _runs.TryAdd(flowId, 0);

    /// <summary>An engine stopped driving its run (it finished, was suspended, or the engine deactivated).</summary>
    public void Remove(string flowId) => _runs.TryRemove(flowId, out _);
}
