using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>Decides where every argument of every atom comes from (TaskFlow's storage lookup, done once at compile time).</summary>
    private ImmutableArray<ArgumentBinding>[] BindArguments()
    {
        var result = new ImmutableArray<ArgumentBinding>[_atoms.Count];
        foreach (var atom in _atoms)
        {
            var bindings = ImmutableArray.CreateBuilder<ArgumentBinding>(atom.Arguments.Count);
            var flowName = atom.Parent?.Name ?? FlowName;
            foreach (var (argument, key, required) in atom.Arguments)
            {
                if (atom.Definition.Inject.ContainsKey(key))
                {
                    bindings.Add(new ArgumentBinding(argument, ArgumentSourceKind.Injected, key));
                }
                else if (_inputs.Contains(key))
                {
                    bindings.Add(new ArgumentBinding(argument, ArgumentSourceKind.Input, key));
                }
                else if (FindVisibleProvider(atom, key) is { } provider)
                {
                    var index = provider.ProvidesOrdered.Length == 1 ? -1 : Array.IndexOf(provider.ProvidesOrdered, key);
                    bindings.Add(new ArgumentBinding(argument, ArgumentSourceKind.Result, key, provider.Id, index));
                }
                else if (!required)
                {
                    bindings.Add(new ArgumentBinding(argument, ArgumentSourceKind.Default, key));
                }
                else if (!IsReportedAmbiguous(atom, key))
                {
                    ReportMissing(atom, flowName, argument, key);
                }
            }

            result[atom.Id] = bindings.DrainToImmutable();
        }

        return result;
    }

    /// <summary>
    /// Whether the atom, or a pattern containing it, requires <paramref name="key"/> from several providers in a graph: that
    /// was reported as ambiguous, and a second "not visible" report would point at the wrong fix (as TaskFlow, which raises
    /// only <c>AmbiguousDependency</c>).
    /// </summary>
    private bool IsReportedAmbiguous(AtomItem atom, string key)
    {
        for (CompileItem? item = atom; item is not null; item = item.Parent)
        {
            if (_ambiguous.Contains((item, key)))
            {
                return true;
            }
        }

        return false;
    }

    private void ReportMissing(AtomItem atom, string flowName, string argument, string key)
    {
        var what = argument == key ? $"'{key}'" : $"'{key}' (argument '{argument}' is rebound to it)";
        var hidden = _atoms.FirstOrDefault(a => a != atom && a.Provides.Contains(key));
        if (atom.IsRetry)
        {
            var kind = atom.Retry!.Kind;
            var hint = hidden is null
                ? $"nothing that runs before flow '{flowName}' provides '{key}' and no input has that name. Add '{key}' to the inputs, " +
                  $"make a task before '{flowName}' provide it{(kind == RetryKind.ParameterizedForEach ? ", or pass another name to Retry.ParameterizedForEach(...)" : ", or rebind it")}."
                : $"'{hidden.Name}' provides '{key}' but does not run before flow '{flowName}' (a retry runs before every item of its flow and " +
                  $"sees only what runs before the flow). Move '{hidden.Name}' before '{flowName}', or add '{key}' to the inputs.";
            Report("missing-requirement", flowName, atom.Name,
                $"Retry '{atom.Name}' ({kind}) of flow '{flowName}' requires {what}, but {hint}");
            return;
        }

        var taskHint = hidden is null
            ? $"nothing before it provides '{key}' and no input has that name. Add '{key}' to the inputs, make an earlier task provide it, or rebind it."
            : $"'{hidden.Name}' provides '{key}' but is not visible from '{atom.Name}' (it must run before it: earlier in a linear flow, " +
              $"or a predecessor in a graph flow; items of an unordered flow do not see each other). Reorder the flow, or add '{key}' to the inputs.";
        Report("missing-requirement", flowName, atom.Name, $"Atom '{atom.Name}' in flow '{flowName}' requires {what}, but {taskHint}");
    }

    /// <summary>
    /// The nearest atom visible from <paramref name="atom"/> that provides <paramref name="symbol"/> (TaskFlow's ScopeWalker): at
    /// each level, the items before it (nearest first), then that level's retry, which runs before all of them. A retry itself
    /// sees what its pattern sees from outside.
    /// </summary>
    private static AtomItem? FindVisibleProvider(AtomItem atom, string symbol)
    {
        CompileItem current = atom.IsRetry ? atom.Parent! : atom;
        while (current.Parent is { } parent)
        {
            foreach (var visible in VisibleBefore(parent, current.IndexInParent))
            {
                if (visible is AtomItem candidate)
                {
                    if (candidate.Provides.Contains(symbol))
                    {
                        return candidate;
                    }
                }
                else if (visible is PatternItem pattern && pattern.Provides.Contains(symbol))
                {
                    return LastProvider(pattern, symbol);
                }
            }

            if (parent.RetryItem is { } retry && retry.Provides.Contains(symbol))
            {
                return retry;
            }

            current = parent;
        }

        return null;
    }

    /// <summary>The items of <paramref name="pattern"/> that run before its child at <paramref name="index"/>, nearest first.</summary>
    private static IEnumerable<CompileItem> VisibleBefore(PatternItem pattern, int index)
    {
        switch (pattern.Definition.Kind)
        {
            case PatternKind.Linear:
                for (var i = index - 1; i >= 0; i--)
                {
                    yield return pattern.Children[i];
                }

                break;
            case PatternKind.Graph when pattern.ChildPredecessors.Length == pattern.Children.Count:
                var seen = new HashSet<int> { index };
                var queue = new Queue<int>();
                queue.Enqueue(index);
                while (queue.Count > 0)
                {
                    foreach (var predecessor in pattern.ChildPredecessors[queue.Dequeue()])
                    {
                        if (seen.Add(predecessor))
                        {
                            queue.Enqueue(predecessor);
                            yield return pattern.Children[predecessor];
                        }
                    }
                }

                break;
            default:
                // Unordered items see nothing of each other.
                yield break;
        }
    }

    private static AtomItem? LastProvider(PatternItem pattern, string symbol)
    {
        if (pattern.LastProviders is null)
        {
            var map = new Dictionary<string, AtomItem>(StringComparer.Ordinal);
            void Walk(CompileItem item)
            {
                if (item is AtomItem atom)
                {
                    foreach (var provided in atom.Provides)
                    {
                        map[provided] = atom;
                    }
                }
                else if (item is PatternItem nested)
                {
                    if (nested.RetryItem is { } retry)
                    {
                        Walk(retry);
                    }

                    nested.Children.ForEach(Walk);
                }
            }

            Walk(pattern);
            pattern.LastProviders = map;
        }

        return pattern.LastProviders.GetValueOrDefault(symbol);
    }
}
