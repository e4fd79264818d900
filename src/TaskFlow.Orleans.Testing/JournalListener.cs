using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Testing;

/// <summary>The listener a <see cref="TaskFlowTestCluster"/> adds to each silo: turns the engine's atom changes into
/// <see cref="ExecutionJournal"/> entries (RUNNING and REVERTING start a call; SUCCESS, FAILURE, REVERTED and
/// REVERT_FAILURE end one). It runs in the engine's turn, so a run's entries are in the engine's order.</summary>
internal sealed class JournalListener(ExecutionJournal journal, ILocalSiloDetails silo) : IFlowListener
{
    private readonly string _silo = silo.SiloAddress.ToString();

    public void OnFlowStarted(FlowStartedContext started)
    {
    }

    public void OnChange(FlowChangeContext change)
    {
        var flowEvent = change.Event;
        if (flowEvent.IsRetry || flowEvent.Progress is not null || flowEvent.AtomState is not { } state)
        {
            return;
        }

        (ExecutionKind Kind, ExecutionOutcome Outcome)? call = state switch
        {
            AtomState.Running => (ExecutionKind.Execute, ExecutionOutcome.Started),
            AtomState.Success => (ExecutionKind.Execute, ExecutionOutcome.Succeeded),
            AtomState.Failure => (ExecutionKind.Execute, ExecutionOutcome.Failed),
            AtomState.Reverting => (ExecutionKind.Revert, ExecutionOutcome.Started),
            AtomState.Reverted => (ExecutionKind.Revert, ExecutionOutcome.Succeeded),
            AtomState.RevertFailure => (ExecutionKind.Revert, ExecutionOutcome.Failed),
            _ => null,
        };
        if (call is not { } recorded)
        {
            return;
        }

        journal.Record(order => new ExecutionEntry
        {
            Order = order,
            FlowId = change.FlowId,
            AtomName = flowEvent.Name,
            Kind = recorded.Kind,
            Outcome = recorded.Outcome,
            Result = recorded.Outcome == ExecutionOutcome.Succeeded ? flowEvent.Result : null,
            Failure = flowEvent.Failure,
            Silo = _silo,
            Timestamp = flowEvent.Timestamp,
        });
    }
}
