using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>Builds persisted progress by hand, as TaskFlow's tests set atom states and intentions in storage before running an engine.</summary>
internal static class Mementos
{
    public static EngineMemento Of(
        CompiledFlow flow,
        FlowState flowState,
        IReadOnlyDictionary<string, AtomState> states,
        IReadOnlyDictionary<string, Intention>? intentions = null,
        IReadOnlyDictionary<string, RetryHistory>? histories = null,
        IReadOnlyDictionary<string, Failure>? failures = null)
    {
        int Id(string name) => flow.Atoms.Single(a => a.Name == name).Id;

        var nodeStates = new AtomState[flow.NodeCount];
        var nodeIntentions = new Intention[flow.NodeCount];
        foreach (var (name, state) in states)
        {
            nodeStates[Id(name)] = state;
        }

        foreach (var (name, intention) in intentions ?? new Dictionary<string, Intention>())
        {
            nodeIntentions[Id(name)] = intention;
        }

        return new EngineMemento
        {
            FlowState = flowState,
            NodeStates = nodeStates,
            Intentions = nodeIntentions,
            Attempts = flow.Atoms.Select(a => nodeStates[a.Id] == AtomState.Pending ? 0 : 1).ToArray(),
            RetryHistories = (histories ?? new Dictionary<string, RetryHistory>()).ToDictionary(p => Id(p.Key), p => p.Value),
            Failures = (failures ?? new Dictionary<string, Failure>()).ToDictionary(p => Id(p.Key), p => p.Value),
        };
    }
}
