using System.Collections.Immutable;
using TaskFlow.Orleans.Definitions;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>Computes requires and provides bottom-up, as TaskFlow's patterns do.</summary>
    private void ComputeSymbols(CompileItem item)
    {
        switch (item)
        {
            case AtomItem atom:
                ComputeAtomSymbols(atom);
                break;
            case PatternItem pattern:
                if (pattern.RetryItem is { } retry)
                {
                    ComputeRetrySymbols(retry);
                }

                foreach (var child in pattern.Children)
                {
                    ComputeSymbols(child);
                }

                ComputePatternSymbols(pattern);
                break;
        }
    }

    private void ComputeAtomSymbols(AtomItem atom)
    {
        var definition = atom.Definition;
        var flowName = atom.Parent?.Name ?? FlowName;
        if (string.IsNullOrWhiteSpace(definition.TaskName) || !_catalog.TryGetSignature(definition.TaskName, out var signature))
        {
            if (!string.IsNullOrWhiteSpace(definition.TaskName) && _catalog.FullNamesOf(definition.TaskName) is { Count: > 1 } candidates)
            {
                Report("ambiguous-task", flowName, atom.Name,
                    $"Atom '{atom.Name}' in flow '{flowName}' runs task '{definition.TaskName}', but several registered tasks have that class name: " +
                    $"{string.Join(", ", candidates)}. Name the task by its full name, e.g. .Add(\"{candidates[0]}\") or .Add<T>().");
                atom.ProvidesOrdered = definition.ProvidesSet ? [.. definition.Provides] : [];
                atom.Provides.UnionWith(atom.ProvidesOrdered);
                return;
            }

            var registered = _catalog.TaskNames.Order(StringComparer.Ordinal).Take(20).ToList();
            Report("unknown-task", flowName, atom.Name,
                $"Atom '{atom.Name}' in flow '{flowName}' runs task '{definition.TaskName}', which is not registered on this silo. " +
                $"Register it with AddTask<T>() (or AddTask(\"{definition.TaskName}\", ...)) in AddTaskFlow on every silo, or fix the name. " +
                $"Registered tasks: {(registered.Count == 0 ? "none" : string.Join(", ", registered))}{(_catalog.TaskNames.Count > 20 ? ", ..." : "")}.");
            atom.ProvidesOrdered = definition.ProvidesSet ? [.. definition.Provides] : [];
            foreach (var name in atom.ProvidesOrdered)
            {
                atom.Provides.Add(name);
            }

            return;
        }

        atom.Signature = signature;
        var provides = definition.ProvidesSet ? definition.Provides : signature.DefaultProvides;
        atom.ProvidesOrdered = provides.IsDefault ? [] : [.. provides];
        foreach (var name in atom.ProvidesOrdered)
        {
            if (!atom.Provides.Add(name))
            {
                Report("duplicate-provides", flowName, atom.Name,
                    $"Atom '{atom.Name}' in flow '{flowName}' provides '{name}' twice. List each provided name once.");
            }
        }

        var rebind = WithPositionalRebind(atom, signature, flowName, out var extraRequires);
        var arguments = new HashSet<string>(StringComparer.Ordinal);
        void AddArgument(string argument, bool required)
        {
            if (!arguments.Add(argument))
            {
                return;
            }

            var key = rebind.TryGetValue(argument, out var source) ? source : argument;
            atom.Arguments.Add((argument, key, required));
            if (required && !definition.Inject.ContainsKey(key))
            {
                atom.Requires.Add(key);
            }
        }

        foreach (var name in signature.Required)
        {
            AddArgument(name, required: true);
        }

        foreach (var name in definition.Requires.IsDefault ? [] : definition.Requires)
        {
            AddArgument(name, required: true);
        }

        foreach (var name in extraRequires)
        {
            AddArgument(name, required: true);
        }

        foreach (var name in signature.Optional)
        {
            AddArgument(name, required: false);
        }

        // Most atoms rebind nothing: no sorting and no enumerators for them (8 µs an atom made a 100,000-task flow slow to start).
        foreach (var argument in rebind.IsEmpty ? Enumerable.Empty<string>() : rebind.Keys.Where(k => !arguments.Contains(k)).Order(StringComparer.Ordinal))
        {
            Report("unknown-rebind", flowName, atom.Name,
                $"Atom '{atom.Name}' in flow '{flowName}' rebinds '{argument}', but task '{signature.Name}' has no argument named '{argument}'. " +
                $"Its arguments are: {string.Join(", ", arguments.Order(StringComparer.Ordinal))}. Fix the rebind, or add '{argument}' to requires.");
        }
    }

    /// <summary>A positional rebind (TaskFlow's <c>rebind=[...]</c>) becomes renames of Execute's required parameters in order.</summary>
    private ImmutableDictionary<string, string> WithPositionalRebind(AtomItem atom, TaskSignature signature, string flowName, out ImmutableArray<string> extras)
    {
        extras = [];
        var definition = atom.Definition;
        var sources = definition.PositionalRebind.IsDefault ? [] : definition.PositionalRebind;
        if (sources.Length == 0)
        {
            return definition.Rebind;
        }

        var parameters = signature.Positional;
        if (sources.Length > parameters.Length && signature.TakesRequiredValues)
        {
            // TaskFlow keeps the extra names one to one, for **kwargs: here for the [RequiredValues] parameter.
            extras = sources[parameters.Length..];
        }
        else if (sources.Length > parameters.Length)
        {
            Report("positional-rebind-too-long", flowName, atom.Name,
                $"Atom '{atom.Name}' in flow '{flowName}' rebinds {sources.Length} names by position ({string.Join(", ", sources)}), " +
                $"but task '{signature.Name}' has {parameters.Length} required Execute parameter{(parameters.Length == 1 ? "" : "s")}" +
                $"{(parameters.Length == 0 ? "" : $" ({string.Join(", ", parameters)})")}. " +
                $"Give at most {parameters.Length} name{(parameters.Length == 1 ? "" : "s")}, rebind by name with (\"argument\", \"source\") pairs, " +
                "or give Execute a [RequiredValues] IReadOnlyDictionary<string, object?> parameter to receive the extra names.");
        }

        // Too long: the names that do map still apply, so that no follow-on "missing" problem hides the real one.
        var rebind = definition.Rebind;
        for (var i = 0; i < Math.Min(sources.Length, parameters.Length); i++)
        {
            if (rebind.TryGetValue(parameters[i], out var named) && named != sources[i])
            {
                Report("conflicting-rebind", flowName, atom.Name,
                    $"Atom '{atom.Name}' in flow '{flowName}' rebinds '{parameters[i]}' twice: by position to '{sources[i]}' and by name to '{named}'. Keep one.");
                continue;
            }

            rebind = rebind.SetItem(parameters[i], sources[i]);
        }

        return rebind;
    }

    /// <summary>A pattern's retry runs first: its provides satisfy the items' requires and are provided by the pattern; its requires are the pattern's.</summary>
    private static void ComputePatternSymbols(PatternItem pattern)
    {
        var retryProvides = pattern.RetryItem?.Provides ?? [];
        if (pattern.RetryItem is { } retry)
        {
            // Whatever the items provide comes after the retry: it never satisfies the retry's own requires.
            pattern.Requires.UnionWith(retry.Requires);
            pattern.Provides.UnionWith(retry.Provides);
        }

        switch (pattern.Definition.Kind)
        {
            case PatternKind.Linear:
                var providedSoFar = new HashSet<string>(retryProvides, StringComparer.Ordinal);
                foreach (var child in pattern.Children)
                {
                    foreach (var symbol in child.Requires)
                    {
                        if (!providedSoFar.Contains(symbol))
                        {
                            pattern.Requires.Add(symbol);
                        }
                    }

                    providedSoFar.UnionWith(child.Provides);
                }

                pattern.Provides.UnionWith(providedSoFar);
                break;
            case PatternKind.Unordered:
                foreach (var child in pattern.Children)
                {
                    pattern.Requires.UnionWith(child.Requires.Where(symbol => !retryProvides.Contains(symbol)));
                    pattern.Provides.UnionWith(child.Provides);
                }

                break;
            default:
                foreach (var child in pattern.Children)
                {
                    pattern.Provides.UnionWith(child.Provides);
                }

                foreach (var child in pattern.Children)
                {
                    foreach (var symbol in child.Requires)
                    {
                        if (!pattern.Provides.Contains(symbol))
                        {
                            pattern.Requires.Add(symbol);
                        }
                    }
                }

                break;
        }
    }
}
