using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Silo-side listeners: told of every start and change, in order, in the engine's turn.</summary>
internal sealed partial class FlowGrain
{
    private readonly IFlowListener[] _listeners;

    private void NotifyChange(FlowEvent flowEvent)
    {
        var flowName = _header?.Definition.Name ?? "";
        IReadOnlyList<string> provides = [];
        TimeSpan? duration = null;
        if (flowEvent.AtomState is { } state && _engine is { } engine)
        {
            if (AtomIds(engine).TryGetValue(flowEvent.Name, out var atom))
            {
                provides = engine.Flow.Atoms[atom].Provides;
                if (state is AtomState.Success or AtomState.Failure or AtomState.Reverted or AtomState.RevertFailure)
                {
                    duration = _tracker?.LastDuration(atom);
                }
            }
        }

        var change = new FlowChangeContext(FlowId, flowName, flowEvent, provides, duration);
        Notify(listener => listener.OnChange(change));
    }

    private void Notify(Action<IFlowListener> call)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                call(listener);
            }
            catch (Exception exception)
            {
                LogListenerFailed(exception, FlowId, listener.GetType().Name);
            }
        }
    }
}
