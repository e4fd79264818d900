using System.Collections.ObjectModel;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>Link deciders, asked late (right before an atom would run), as TaskFlow's <c>IgnoreDecider</c>.</summary>
internal sealed partial class FlowEngine
{
    /// <summary>
    /// Asks every decider that applies to the atom with the results of their (not ignored) source atoms; if any says no, the
    /// atom and what the widest nay-saying depth reaches become IGNORE. Deciders whose source atom was ignored do not vote.
    /// </summary>
    /// <returns>Whether the atom may run.</returns>
    private bool PassesDeciders(int atom)
    {
        var edges = _flow.Deciders[atom];
        if (edges.Length == 0)
        {
            return true;
        }

        var results = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (edge.SourceIsAtom && _states[edge.SourceNode] != AtomState.Ignore)
            {
                results[_flow.Atoms[edge.SourceNode].Name] = _deciderResults.GetValueOrDefault(edge.SourceNode);
            }
        }

        var history = new ReadOnlyDictionary<string, object?>(results);
        DeciderDepth? widest = null;
        foreach (var edge in edges)
        {
            if (edge.SourceIsAtom && _states[edge.SourceNode] == AtomState.Ignore)
            {
                continue;
            }

            bool run;
            try
            {
                run = edge.Decider.Decide(new Authoring.DeciderContext
                {
                    FlowId = FlowId,
                    FlowName = _flow.Name,
                    DeciderName = edge.DeciderName,
                    From = edge.SourceIsAtom ? _flow.Atoms[edge.SourceNode].Name : PatternOf(_flow.NodeNames[edge.SourceNode]),
                    To = _flow.Atoms[atom].Name,
                    Depth = edge.Depth,
                    History = history,
                });
            }
            catch (Exception exception)
            {
                Halt(Failure.FromException(exception));
                return false;
            }

            if (!run)
            {
                // TaskFlow's pick_widest: ALL is widest, ATOM narrowest.
                widest = widest is { } current && current < edge.Depth ? current : edge.Depth;
            }
        }

        if (widest is not { } depth)
        {
            return true;
        }

        foreach (var ignored in Affected(atom, depth))
        {
            if (_states[ignored] == AtomState.Pending)
            {
                SetIntention(ignored, Intention.Ignore);
                SetAtomState(ignored, AtomState.Ignore);
            }
        }

        return false;
    }

    /// <summary>The atoms a "no" reaches: TaskFlow's depth strategies (<c>_affect_all_successors</c> and friends).</summary>
    private List<int> Affected(int atom, DeciderDepth depth)
    {
        var affected = new List<int> { atom };
        switch (depth)
        {
            case DeciderDepth.All:
                affected.AddRange(Subgraph(atom).Where(_flow.IsAtom));
                break;
            case DeciderDepth.Flow:
                // Through tasks only: not into nested flows, not past a retry.
                var stamp = ++_markStamp;
                var stack = new Stack<int>();
                PushSuccessors(stack, atom);
                while (stack.TryPop(out var node))
                {
                    if (_marks[node] == stamp)
                    {
                        continue;
                    }

                    _marks[node] = stamp;
                    var kind = _flow.NodeKinds[node];
                    if (kind is NodeKind.Task or NodeKind.Retry)
                    {
                        affected.Add(node);
                    }

                    if (kind == NodeKind.Task)
                    {
                        PushSuccessors(stack, node);
                    }
                }

                break;
            case DeciderDepth.Neighbors:
                foreach (var successor in _flow.Successors[atom])
                {
                    if (_flow.NodeKinds[successor] == NodeKind.Task)
                    {
                        affected.Add(successor);
                    }
                }

                break;
        }

        return affected;
    }

    /// <summary>A pattern marker's name ("maker[$]", "maker[^]") without its marker: the pattern's name.</summary>
    private static string PatternOf(string nodeName) =>
        nodeName.EndsWith("[$]", StringComparison.Ordinal) || nodeName.EndsWith("[^]", StringComparison.Ordinal) ? nodeName[..^3] : nodeName;
}
