namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// Silo-side observer of flows (TaskFlow's listeners): called in the engine's turn for every flow start and state change,
/// in order. Keep it quick and do not throw (an exception is logged and ignored); hand slow work to a queue.
/// </summary>
/// <remarks>Register with <c>AddTaskFlow(t =&gt; t.AddListener&lt;MyListener&gt;())</c>. Clients watch flows with
/// <c>FlowHandle.WatchAsync</c> instead.</remarks>
public interface IFlowListener
{
    /// <summary>A flow run was accepted and is about to run.</summary>
    /// <param name="started">The run and its inputs.</param>
    void OnFlowStarted(FlowStartedContext started);

    /// <summary>A flow or atom changed state, or a task reported progress.</summary>
    /// <param name="change">The change, with the atom's provided names and how long its call took.</param>
    void OnChange(FlowChangeContext change);
}
