using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Completer: how failures are resolved, as TaskFlow's <c>Completer._determine_resolution</c> and its strategies.</summary>
internal sealed partial class FlowEngine
{
    /// <summary>A resolution strategy for one retry (TaskFlow's resolver object); <see cref="IsUndefined"/> marks the RevertAll used when no retry controls the failed atom.</summary>
    private readonly record struct Resolver(ResolutionStrategy Strategy, int RetryId, bool IsUndefined);

    /// <summary>Asks the controlling retries and applies what they decide. A controller that throws halts the flow (FAILURE).</summary>
    private void Resolve(int atom, Failure failure)
    {
        Resolver resolver;
        try
        {
            resolver = Determine(atom, failure);
        }
        catch (Exception exception)
        {
            Halt(Failure.FromException(exception));
            return;
        }

        Apply(resolver, atom);
    }

    /// <summary>TaskFlow's <c>_determine_resolution</c>, recursing to the parent retry on REVERT.</summary>
    private Resolver Determine(int atom, Failure failure)
    {
        var retry = _flow.RetryOfNode[atom];
        if (retry < 0)
        {
            return new Resolver(ResolutionStrategy.RevertAll, -1, IsUndefined: true);
        }

        // RetryAction.on_failure: the failure goes into the retry's latest attempt first, then the controller decides.
        var history = _histories[retry]!.WithFailure(_flow.Atoms[atom].Name, failure);
        _histories[retry] = history;
        Touch(retry);
        var decision = _flow.Atoms[retry].Retry!.Controller.OnFailure(history, _retryArguments[retry] ?? NoArguments);
        switch (decision)
        {
            case RetryDecision.Retry:
                return new Resolver(ResolutionStrategy.RevertAndRetry, retry, IsUndefined: false);
            case RetryDecision.Revert:
                var parent = Determine(retry, failure);
                if (_deferReverts)
                {
                    // defer_reverts: REVERT always defers to the parent; with no parent retry, the whole flow reverts.
                    return parent;
                }

                // Otherwise the parent knows best only if it is a real retry that decided something other than REVERT.
                return !parent.IsUndefined && parent.Strategy != ResolutionStrategy.Revert
                    ? parent
                    : new Resolver(ResolutionStrategy.Revert, retry, IsUndefined: false);
            case RetryDecision.RevertAll:
                return new Resolver(ResolutionStrategy.RevertAll, retry, IsUndefined: false);
            default:
                throw new InvalidOperationException(
                    $"Retry '{_flow.Atoms[retry].Name}' of flow '{_flow.Name}' decided {(int)decision}, which is not RETRY, REVERT or REVERT_ALL.");
        }
    }

    /// <summary>
    /// Applies a strategy by setting intentions (TaskFlow's <c>reset_atoms</c> with no state change), then queues what may revert now.
    /// The strongest decision wins: a retry already reverting (because of a REVERT or REVERT_ALL under way) is left alone, so a
    /// later, weaker decision of a parallel subflow never turns a revert back into a retry.
    /// </summary>
    private void Apply(Resolver resolver, int failedAtom)
    {
        var applied = resolver.Strategy switch
        {
            ResolutionStrategy.RevertAll => ApplyRevertAll(),
            _ => ApplyToRetry(resolver.RetryId, resolver.Strategy == ResolutionStrategy.RevertAndRetry ? Intention.Retry : Intention.Revert),
        };
        _step.Resolutions.Add(new FailureResolution(failedAtom, resolver.Strategy == ResolutionStrategy.RevertAll ? null : resolver.RetryId,
            resolver.Strategy, applied));
    }

    /// <summary>TaskFlow's <c>RevertAll</c>: every atom's intention becomes REVERT.</summary>
    private bool ApplyRevertAll()
    {
        if (_revertAll)
        {
            return false;
        }

        _revertAll = true;
        for (var atom = 0; atom < _flow.AtomCount; atom++)
        {
            SetIntention(atom, Intention.Revert);
        }

        for (var atom = _flow.AtomCount - 1; atom >= 0; atom--)
        {
            QueueRevert(atom);
        }

        return true;
    }

    /// <summary>TaskFlow's <c>RevertAndRetry</c> (the retry RETRY) or <c>Revert</c> (the retry REVERT); everything after the retry REVERT.</summary>
    private bool ApplyToRetry(int retry, Intention retryIntention)
    {
        if (_intentions[retry] == Intention.Revert)
        {
            return false;
        }

        SetIntention(retry, retryIntention);
        var affected = Subgraph(retry);
        affected.Add(retry);
        foreach (var node in affected)
        {
            if (node != retry)
            {
                SetIntention(node, Intention.Revert);
            }
        }

        affected.Sort();
        for (var i = affected.Count - 1; i >= 0; i--)
        {
            if (_flow.IsAtom(affected[i]))
            {
                QueueRevert(affected[i]);
            }
        }

        return true;
    }

    /// <summary>User code failed inside the engine: the failure is kept and, as TaskFlow's retained failures, ends the flow in FAILURE.</summary>
    private void Halt(Failure failure)
    {
        _engineFailures.Add(failure);
        _halted = true;
        _anyFailure = true;
    }
}
